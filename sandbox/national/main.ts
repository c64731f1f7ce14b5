import fs from 'node:fs';
import { listen } from '../common/server';
import { createNationalSandbox, type NationalSandboxConfig } from './app';

const file = process.env.SANDBOX_CONFIG;
if (!file) throw new Error('SANDBOX_CONFIG must point at the sandbox centre configuration JSON');
const cfg = JSON.parse(fs.readFileSync(file, 'utf8')) as NationalSandboxConfig;
const { app } = createNationalSandbox(cfg);
void listen(app, 'national-sandbox', Number(process.env.PORT ?? 0));
