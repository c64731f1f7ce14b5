/**
 * National mobile-payment envelope tool.
 *
 *   envelope open   --app-id A --app-secret S --platform-public-key K [--user-id U] [--max-skew-ms N] < body.json
 *   envelope seal   --app-id A --app-secret S --private-key K [--user-id U] [--timestamp T] [--hex-case lower|upper] < data.json
 *   envelope keygen
 *
 * open prints the decrypted data (pretty JSON) and exits 0 only when the SM2 signature verifies; any refusal
 * is one line on stderr and exit 1; usage errors exit 2. Secrets may come from the environment instead of
 * the command line (visible in `ps` and shell history): ENVELOPE_APP_SECRET, ENVELOPE_PRIVATE_KEY.
 */
import { parseArgs } from 'node:util';
import { generateKeyPair, parsePrivateKey, parsePublicKey, Sm2KeyError } from '../src/crypto/sm2';
import { EnvelopeError, businessErrorOf, open, seal } from '../src/national/envelope';
import { parseEnvelopeTimestamp } from '../src/national/envelope-timestamp';

const USAGE = `usage:
  envelope open   --app-id A --app-secret S --platform-public-key K [--user-id U] [--max-skew-ms N] < body.json
  envelope seal   --app-id A --app-secret S --private-key K [--user-id U] [--timestamp T] [--hex-case lower|upper] < data.json
  envelope keygen
(ENVELOPE_APP_SECRET / ENVELOPE_PRIVATE_KEY may replace --app-secret / --private-key)`;

export interface CliIo {
  readStdin: () => Promise<string>;
  out: (s: string) => void;
  err: (s: string) => void;
  env: Record<string, string | undefined>;
}

class UsageError extends Error {}

function need(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`missing ${flag}`);
  return value;
}

function parseJsonInput(text: string, what: string): unknown {
  if (text.trim() === '') throw new UsageError(`no ${what} on stdin`);
  try {
    return JSON.parse(text);
  } catch {
    throw new EnvelopeError('MALFORMED', `${what} on stdin is not JSON`);
  }
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'app-id': { type: 'string' },
        'app-secret': { type: 'string' },
        'platform-public-key': { type: 'string' },
        'private-key': { type: 'string' },
        'user-id': { type: 'string' },
        timestamp: { type: 'string' },
        'hex-case': { type: 'string' },
        'max-skew-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const command = positionals[0];
    if (values.help) {
      io.out(USAGE + '\n');
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(command ? `unexpected argument ${positionals[1]}` : 'missing command');
    const userId = values['user-id'];

    if (command === 'keygen') {
      io.out(JSON.stringify(generateKeyPair(), null, 2) + '\n');
      return 0;
    }

    if (command === 'open') {
      const appId = need(values['app-id'], '--app-id');
      const appSecret = need(values['app-secret'] ?? io.env.ENVELOPE_APP_SECRET, '--app-secret');
      const peerPublicKey = need(values['platform-public-key'], '--platform-public-key');
      parsePublicKey(peerPublicKey); // a bad key is a usage error, checked before reading the body
      let maxSkewMs: number | undefined;
      if (values['max-skew-ms'] !== undefined) {
        maxSkewMs = Number(values['max-skew-ms']);
        if (!Number.isSafeInteger(maxSkewMs) || maxSkewMs < 0) throw new UsageError('--max-skew-ms must be a non-negative integer');
      }
      const body = parseJsonInput(await io.readStdin(), 'body');
      const business = businessErrorOf(body);
      if (business) {
        io.err(`refused: the body is a business error response, not an envelope (code=${business.code}${business.message ? `, message=${business.message}` : ''})\n`);
        return 1;
      }
      const data = open(body, { appId, appSecret, peerPublicKey, userId }, { maxSkewMs });
      io.out(JSON.stringify(data, null, 2) + '\n');
      return 0;
    }

    if (command === 'seal') {
      const appId = need(values['app-id'], '--app-id');
      const appSecret = need(values['app-secret'] ?? io.env.ENVELOPE_APP_SECRET, '--app-secret');
      const privateKey = need(values['private-key'] ?? io.env.ENVELOPE_PRIVATE_KEY, '--private-key');
      parsePrivateKey(privateKey);
      const hexCase = values['hex-case'];
      if (hexCase !== undefined && hexCase !== 'lower' && hexCase !== 'upper') throw new UsageError('--hex-case must be lower or upper');
      const timestamp = values.timestamp;
      if (timestamp !== undefined && parseEnvelopeTimestamp(timestamp) === undefined) throw new UsageError('--timestamp must be epoch ms (13 digits) or yyyyMMddHHmmss');
      if (appId.length < 16) throw new UsageError('--app-id must have at least 16 characters');
      const data = parseJsonInput(await io.readStdin(), 'data');
      if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UsageError('data on stdin must be a JSON object');
      io.out(JSON.stringify(seal(data, { appId, appSecret, privateKey, userId }, { timestamp, hexCase }), null, 2) + '\n');
      return 0;
    }

    throw new UsageError(`unknown command ${command}`);
  } catch (e) {
    if (e instanceof EnvelopeError) {
      io.err(`refused (${e.code}): ${e.message}\n`);
      return 1;
    }
    if (e instanceof Sm2KeyError) {
      io.err(`invalid key: ${e.message}\n`);
      return 2;
    }
    if (e instanceof UsageError || (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) {
      io.err(`${e.message}\n${USAGE}\n`);
      return 2;
    }
    io.err(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}

if (require.main === module) {
  main(process.argv.slice(2), {
    readStdin: () => (process.stdin.isTTY ? Promise.resolve('') : readAll(process.stdin)),
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    env: process.env,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
