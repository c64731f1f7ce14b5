import { ChannelSignatureError } from '../channels/port';
import { AppError } from '../http/app-error';
import { PeerError } from '../peers/http-client';

/** A peer failure during a patient's request, as the stable API error the patient sees. */
export function peerFailure(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof PeerError) return new AppError(err.failure === 'timeout' ? 'PEER_TIMEOUT' : 'PEER_UNAVAILABLE', undefined, undefined, err);
  // an answer that failed its signature check is no answer: the outcome is unknown
  if (err instanceof ChannelSignatureError) return new AppError('PEER_UNAVAILABLE', undefined, undefined, err);
  throw err;
}
