import { ChannelRejectedError } from '../channels/port';
import { HisRejectedError, HisUnclearError } from '../his/port';
import { NationalProtocolError, NationalRejectedError } from '../national/client';
import { PeerError } from '../peers/http-client';
import { AppError } from './app-error';

/** Peer failures that reach the edge become stable API errors; anything else stays a 500. */
export function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (err instanceof HisRejectedError) {
    if (err.code === 'NOT_FOUND') return new AppError('NOT_FOUND');
    if (err.code === 'NOT_OWNER') return new AppError('BILL_NOT_FOUND');
    if (err.code === 'SLOT_UNAVAILABLE') return new AppError('SLOT_UNAVAILABLE');
    if (err.code === 'INVALID') return new AppError('VALIDATION_FAILED');
    return new AppError('PEER_REJECTED');
  }
  if (err instanceof HisUnclearError || err instanceof NationalProtocolError) return new AppError('PEER_UNAVAILABLE');
  if (err instanceof NationalRejectedError || err instanceof ChannelRejectedError) return new AppError('PEER_REJECTED');
  if (err instanceof PeerError) return new AppError(err.failure === 'timeout' ? 'PEER_TIMEOUT' : 'PEER_UNAVAILABLE');
  return null;
}
