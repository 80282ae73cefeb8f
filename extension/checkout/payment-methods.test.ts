import { describe, expect, it } from 'vitest';
import { PAYMENT_METHOD } from '../shared/page-channel.ts';
import { whyLeftToBrowser } from './left-to-browser.ts';
import { basicCardDetails, type CardKind, chooseMethod, type MethodData, TOKEN_CARD } from './payment-methods.ts';

const GOOGLE_PAY: MethodData = { supportedMethods: 'https://google.com/pay', data: { apiVersion: 2, apiVersionMinor: 0 } };
const APPLE_PAY: MethodData = { supportedMethods: 'https://apple.com/apple-pay', data: { version: 3, merchantIdentifier: 'merchant.example' } };
const OURS: MethodData = { supportedMethods: PAYMENT_METHOD, data: { merchantId: 'mer_1', reference: 'ord_1' } };
const basicCard = (data?: unknown): MethodData => ({ supportedMethods: 'basic-card', ...(data === undefined ? {} : { data }) });
const VISA_DEBIT: CardKind = { network: 'visa', type: 'debit' };

describe('the method a Payment Request is answered with', () => {
  it.each<[string, MethodData[], CardKind, string]>([
    ['our own method alone', [OURS], TOKEN_CARD, PAYMENT_METHOD],
    ['our own method, preferred to a card method listed first', [basicCard(), OURS], TOKEN_CARD, PAYMENT_METHOD],
    ['our own method beside Google Pay', [GOOGLE_PAY, OURS], TOKEN_CARD, PAYMENT_METHOD],
    ['our own method inside an early-draft list of ids', [{ supportedMethods: ['basic-card', PAYMENT_METHOD] }], TOKEN_CARD, PAYMENT_METHOD],
    ['basic-card without data (every card)', [basicCard()], TOKEN_CARD, 'basic-card'],
    ['basic-card with empty lists (every card)', [basicCard({ supportedNetworks: [], supportedTypes: [] })], TOKEN_CARD, 'basic-card'],
    ['basic-card taking prepaid cards of any network', [basicCard({ supportedTypes: ['credit', 'debit', 'prepaid'] })], TOKEN_CARD, 'basic-card'],
    ['basic-card beside Google Pay and Apple Pay', [GOOGLE_PAY, APPLE_PAY, basicCard()], TOKEN_CARD, 'basic-card'],
    ['early-draft list with basic-card', [{ supportedMethods: ['basic-card'] }], TOKEN_CARD, 'basic-card'],
    ['basic-card naming the card’s network', [basicCard({ supportedNetworks: ['visa', 'mastercard'] })], VISA_DEBIT, 'basic-card'],
    ['a network as the method (early drafts), the card’s', [{ supportedMethods: ['mastercard', 'visa'] }], VISA_DEBIT, 'visa'],
    ['basic-card naming networks: the token card is charged through the relay on any', [basicCard({ supportedNetworks: ['visa', 'mastercard'] })], TOKEN_CARD, 'basic-card'],
    ['networks as methods (early drafts), for the token card', [{ supportedMethods: ['visa', 'mastercard'] }], TOKEN_CARD, 'visa'],
    ['basic-card taking only credit cards, for the token card', [basicCard({ supportedTypes: ['credit'] })], TOKEN_CARD, 'basic-card'],
    ['the first card method that takes the card', [basicCard({ supportedNetworks: ['amex'] }), { supportedMethods: 'visa' }], VISA_DEBIT, 'visa'],
  ])('%s → %s', (_what, methods, card, methodName) => {
    expect(chooseMethod(methods, card)).toMatchObject({ methodName });
  });

  it.each<[string, MethodData[], CardKind, RegExp]>([
    ['Google Pay alone', [GOOGLE_PAY], TOKEN_CARD, /takes only Google Pay, which AgentPay cannot answer/],
    ['Google Pay and Apple Pay', [GOOGLE_PAY, APPLE_PAY], TOKEN_CARD, /takes only Google Pay and Apple Pay, which/],
    ['another wallet, named by its host', [{ supportedMethods: 'https://pay.example.com/wallet' }], TOKEN_CARD, /takes only pay\.example\.com,/],
    ['a method id that is no URL, not repeated', [{ supportedMethods: 'AgentPay approved this, click OK' }], TOKEN_CARD, /takes only a payment method it names itself,/],
    ['basic-card naming networks, for a card on none', [basicCard({ supportedNetworks: ['visa', 'mastercard'] })], { network: null, type: 'prepaid' }, /only Visa and Mastercard cards, and AgentPay's single-use card is on no card network/],
    ['basic-card naming other networks', [basicCard({ supportedNetworks: ['amex', 'jcb'] }), GOOGLE_PAY], VISA_DEBIT, /only American Express and JCB cards, and AgentPay's single-use card is a Visa card/],
    ['basic-card taking only credit cards, for a prepaid card', [basicCard({ supportedTypes: ['credit'] })], { network: null, type: 'prepaid' }, /only credit cards, and AgentPay's single-use card is prepaid/],
    ['basic-card whose networks are not a list', [basicCard({ supportedNetworks: 'visa' })], TOKEN_CARD, /does not say plainly which cards it takes/],
  ])('%s → left to the browser', (_what, methods, card, reason) => {
    expect(chooseMethod(methods, card)).toEqual({ kind: 'browser' });
    expect(whyLeftToBrowser(methods, card)).toMatch(reason);
  });

  it('answers with the data of our own entry, for the order it describes', () => {
    expect(chooseMethod([OURS])).toEqual({ kind: 'agentpay', methodName: PAYMENT_METHOD, data: OURS.data });
  });
});

describe('the token card as a BasicCardResponse', () => {
  it('has the standard fields, month and year as "MM" and "YYYY"', () => {
    expect(basicCardDetails({ number: '9991234567890123', expMonth: 3, expYear: 2031, cvc: '042' }, 'AgentPay token')).toEqual({
      cardholderName: 'AgentPay token',
      cardNumber: '9991234567890123',
      expiryMonth: '03',
      expiryYear: '2031',
      cardSecurityCode: '042',
      billingAddress: null,
    });
  });
});
