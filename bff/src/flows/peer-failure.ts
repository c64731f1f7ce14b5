import { ChannelSignatureError } from '../channels/port';
import { DomainError } from '../domain/errors';
import { PeerError } from '../domain/peer-error';

/** A peer failure during a patient's request, as the stable API error the patient sees. */
export function peerFailure(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  if (err instanceof PeerError) return new DomainError(err.failure === 'timeout' ? 'PEER_TIMEOUT' : 'PEER_UNAVAILABLE', undefined, undefined, err);
  // an answer that failed its signature check is no answer: the outcome is unknown
  if (err instanceof ChannelSignatureError) return new DomainError('PEER_UNAVAILABLE', undefined, undefined, err);
  throw err;
}
