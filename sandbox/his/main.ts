import fs from 'node:fs';
import { listen } from '../common/server';
import { createHisSandbox } from './app';

const file = process.env.SANDBOX_CONFIG;
if (!file) throw new Error('SANDBOX_CONFIG must point at the sandbox HIS configuration JSON');
const { app } = createHisSandbox(JSON.parse(fs.readFileSync(file, 'utf8')));
void listen(app, 'his-sandbox', Number(process.env.PORT ?? 0));
