import { runSandbox } from '../common/server';
import { createWechatSandbox } from './app';

// SANDBOX_CONFIG = path of the JSON written by sandbox/wechat/stack.ts; PORT = where to listen.
runSandbox('wechat', createWechatSandbox);
