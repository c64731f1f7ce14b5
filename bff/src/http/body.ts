import type { Context } from 'koa';
import { DomainError } from '../domain/errors';

/**
 * Reads the raw request body once, with a hard size limit. Notification handlers need the exact
 * bytes for signature checks, so nothing parses before this and nothing re-serialises after it.
 */
export function readRawBody(ctx: Context, limitBytes: number): Promise<Buffer> {
  const state = ctx.state as { rawBody?: Buffer };
  if (state.rawBody) return Promise.resolve(state.rawBody);
  const declared = Number(ctx.get('content-length') || '0');
  if (declared > limitBytes) return Promise.reject(new DomainError('BODY_TOO_LARGE'));
  const req = ctx.req;
  if (req.readableEnded) return Promise.resolve((state.rawBody = Buffer.alloc(0)));
  // Stream events rather than `for await`: the async iterator costs a promise and a tick per chunk
  // on every request with a body.
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (buf: Buffer) => {
      size += buf.length;
      if (size > limitBytes) {
        done();
        req.destroy();
        reject(new DomainError('BODY_TOO_LARGE'));
        return;
      }
      chunks.push(buf);
    };
    const onEnd = () => {
      done();
      const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      state.rawBody = raw;
      resolve(raw);
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    const onClose = () => {
      done();
      reject(new Error('the request closed before its body ended'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
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
