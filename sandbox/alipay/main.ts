import { runSandbox } from '../common/server';
import { createAlipaySandbox } from './app';

// SANDBOX_CONFIG = path of the JSON written by sandbox/alipay/stack.ts; PORT = where to listen.
runSandbox('alipay', createAlipaySandbox);
