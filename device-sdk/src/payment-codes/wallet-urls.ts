import { UnpayableCodeError } from './errors.ts';

/**
 * The URL payment codes of the big Chinese wallets, as shops print them.
 * They carry no amount or merchant name: the wallet's own servers resolve
 * them, so the SDK recognises them (to say which wallet, and never to mistake
 * them for a website) and leaves paying them to that wallet's integration.
 */
export interface WalletUrlCode {
  kind: 'wallet-url';
  wallet: 'alipay' | 'wechat-pay' | 'unionpay';
  url: string;
}

const PATTERNS: [WalletUrlCode['wallet'], RegExp][] = [
  ['alipay', /^https:\/\/qr\.alipay\.com\/[A-Za-z0-9]+$/i],
  ['wechat-pay', /^wxp:\/\/[A-Za-z0-9_-]+$/],
  ['unionpay', /^https:\/\/qr\.95516\.com\/[A-Za-z0-9/]+$/i],
];

export function parseWalletUrl(text: string): WalletUrlCode | null {
  const url = text.trim();
  for (const [wallet, pattern] of PATTERNS) {
    if (pattern.test(url)) return { kind: 'wallet-url', wallet, url };
  }
  // Their hosts with anything else after them are damaged codes, not websites.
  if (/^(https:\/\/qr\.alipay\.com|wxp:\/\/|https:\/\/qr\.95516\.com)/i.test(url)) {
    throw new UnpayableCodeError('damaged_code', `"${url.slice(0, 60)}" looks like a wallet payment code but is malformed`);
  }
  return null;
}
