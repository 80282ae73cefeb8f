/** Why a scanned code cannot be paid, precisely enough for a device to say so. */
export type PaymentCodeProblem =
  | 'not_a_payment_code' // some other QR code: a menu, a website, Wi-Fi details
  | 'damaged_code' // a payment code whose structure is broken (truncated, bad lengths)
  | 'bad_crc' // the checksum does not match: misread or tampered
  | 'missing_field' // a field every payment code must carry is absent
  | 'invalid_field'; // a field is present but not what the standard allows

export class UnpayableCodeError extends Error {
  override name = 'UnpayableCodeError';
  constructor(
    readonly problem: PaymentCodeProblem,
    message: string,
  ) {
    super(message);
  }
}
