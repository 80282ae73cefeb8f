import { PAYMENT_CODE_PREFIX } from '@agentpay/protocol';

/**
 * What a decoded QR code is, as far as paying goes. Most QR codes on the web are links
 * (to an article, an app, a menu): those are no business of a wallet, and a user must
 * see nothing for them. Only two kinds are payment codes:
 * - a merchant's signed AgentPay code (`agentpay://pay?…`), which the extension pays
 *   once it has checked the signature, however damaged or expired it turns out to be;
 * - an EMVCo merchant-presented code (bank and wallet networks, e.g. UnionPay, PIX,
 *   PayNow), which is paid through that network, so the extension refuses it and says why.
 */
export type PaymentQr = { kind: 'agentpay'; text: string } | { kind: 'emvco'; merchantName: string | null };

/** The first payment code among the texts one image decoded to, AgentPay's first; null when none is one. */
export function paymentCodeIn(texts: readonly string[]): PaymentQr | null {
  const signed = texts.map((t) => t.trim()).find((t) => t.startsWith(PAYMENT_CODE_PREFIX));
  if (signed) return { kind: 'agentpay', text: signed };
  for (const text of texts) {
    const fields = emvcoFields(text.trim());
    if (fields) return { kind: 'emvco', merchantName: fields.get('59') ?? null };
  }
  return null;
}

/**
 * The top-level fields of an EMVCo merchant-presented code (QRCPS-MPM): it starts with the
 * payload format indicator "000201", is a run of ID-length-value fields (lengths in
 * characters) and ends with its CRC (ID 63, CRC-16/CCITT-FALSE). Null for anything else,
 * so a text that merely starts with those digits is not taken for a payment code.
 */
export function emvcoFields(text: string): Map<string, string> | null {
  if (!text.startsWith('000201')) return null;
  const chars = Array.from(text);
  const fields = new Map<string, string>();
  let at = 0;
  while (at < chars.length) {
    const head = chars.slice(at, at + 4).join('');
    if (!/^\d{4}$/.test(head)) return null;
    const length = Number(head.slice(2));
    if (at + 4 + length > chars.length) return null;
    fields.set(head.slice(0, 2), chars.slice(at + 4, at + 4 + length).join(''));
    at += 4 + length;
  }
  const crc = fields.get('63');
  if (!crc || !text.endsWith(`6304${crc}`) || crc.toUpperCase() !== crc16(text.slice(0, -4))) return null;
  return fields;
}

/** CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF) of the UTF-8 bytes, as four upper-case hex digits. */
function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}
