import type { Context } from 'koa';
import { DomainError } from '../domain/errors';

/**
 * Reads the raw request body once, with a hard size limit. Notification handlers need the exact
 * bytes for signature checks, so nothing parses before this and nothing re-serialises after it.
 */
export async function readRawBody(ctx: Context, limitBytes: number): Promise<Buffer> {
  const cached = (ctx.state as { rawBody?: Buffer }).rawBody;
  if (cached) return cached;
  const declared = Number(ctx.get('content-length') || '0');
  if (declared > limitBytes) throw new DomainError('BODY_TOO_LARGE');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limitBytes) {
      ctx.req.destroy();
      throw new DomainError('BODY_TOO_LARGE');
    }
    chunks.push(buf);
  }
  const raw = Buffer.concat(chunks);
  (ctx.state as { rawBody?: Buffer }).rawBody = raw;
  return raw;
}

/** Parses a JSON body; empty body means {}. Refuses non-JSON content types when a body is present. */
export async function readJsonBody(ctx: Context, limitBytes = 64 * 1024): Promise<unknown> {
  const raw = await readRawBody(ctx, limitBytes);
  if (raw.length === 0) return {};
  const type = ctx.get('content-type');
  if (type && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) throw new DomainError('UNSUPPORTED_MEDIA_TYPE');
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new DomainError('MALFORMED_JSON');
  }
}
