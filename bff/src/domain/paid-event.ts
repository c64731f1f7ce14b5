/**
 * A paid event the HIS asks us to tell the patient about (POST /api/messages, flows/messages.ts),
 * and the record of its delivery kept by the message store (store/port.ts MessageRecords).
 */
export interface PaidEvent {
  eventId: string;
  type: 'registration_paid' | 'outpatient_paid';
  orderNo: string;
  occurredAt: string;
  summary: { title: string; amountFen: number };
}

export interface MessageRecord extends PaidEvent {
  status: 'queued' | 'sent' | 'undeliverable' | 'failed';
  attempts: number;
  detail?: string;
  clientId: string;
}
