import { ChannelRejectedError } from '../channels/port';
import { HisRejectedError, HisUnclearError } from '../his/port';
import { NationalProtocolError, NationalRejectedError } from '../national/client';
import { PeerError } from '../peers/http-client';
import { DomainError } from '../domain/errors';

/** A domain error as it is; peer failures that reach the edge as stable API errors; anything else null (a 500). */
export function asDomainError(err: unknown): DomainError | null {
  if (err instanceof DomainError) return err;
  if (err instanceof HisRejectedError) {
    if (err.code === 'NOT_FOUND') return new DomainError('NOT_FOUND');
    if (err.code === 'NOT_OWNER') return new DomainError('BILL_NOT_FOUND');
    if (err.code === 'SLOT_UNAVAILABLE') return new DomainError('SLOT_UNAVAILABLE');
    if (err.code === 'INVALID') return new DomainError('VALIDATION_FAILED');
    return new DomainError('PEER_REJECTED');
  }
  if (err instanceof HisUnclearError || err instanceof NationalProtocolError) return new DomainError('PEER_UNAVAILABLE');
  if (err instanceof NationalRejectedError || err instanceof ChannelRejectedError) return new DomainError('PEER_REJECTED');
  if (err instanceof PeerError) return new DomainError(err.failure === 'timeout' ? 'PEER_TIMEOUT' : 'PEER_UNAVAILABLE');
  return null;
}
