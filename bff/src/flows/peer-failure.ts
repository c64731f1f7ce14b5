import { ChannelSignatureError } from '../channels/port';
import { AppError } from '../http/app-error';
import { isUnknownOutcome, NationalRejectedError } from '../national/client';
import { PeerError } from '../peers/http-client';

/** A peer failure during a patient's request, as the stable API error the patient sees. */
export function peerFailure(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof NationalRejectedError) return new AppError('PEER_REJECTED', '医保中心未受理这笔支付，这次没有扣款。请稍后重试，或到医院窗口办理', undefined, err);
  if (err instanceof PeerError) return new AppError(err.failure === 'timeout' ? 'PEER_TIMEOUT' : 'PEER_UNAVAILABLE', undefined, undefined, err);
  // an answer that failed its signature check is no answer: the outcome is unknown
  if (err instanceof ChannelSignatureError) return new AppError('PEER_UNAVAILABLE', undefined, undefined, err);
  if (isUnknownOutcome(err)) return new AppError('PEER_TIMEOUT', undefined, undefined, err);
  throw err;
}
