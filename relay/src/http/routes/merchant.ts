import { Charge, ChargeRequest, ProtocolError, Refund, RefundRequest } from '@agentpay/protocol';
import { type ChargeRow, chargeToken, refundCharge, toCharge } from '../../merchant/charges.ts';
import { route } from '../route.ts';

/** "AI Receive": what a merchant does with a token an agent handed over. */
export const merchantRoutes = [
  route({
    method: 'POST', path: '/v1/merchant/charges', tag: 'merchant', auth: ['merchant'], status: 201, body: ChargeRequest, response: Charge,
    summary: 'Charge a single-use token (at most its amount, once, before it expires)',
    command: ({ ctx, tx, outbox, principal, body }) => chargeToken(ctx, tx, outbox, principal.id, body),
  }),
  route({
    method: 'GET', path: '/v1/merchant/charges/{id}', tag: 'merchant', auth: ['merchant'], response: Charge, summary: 'One of your charges',
    read: async ({ ctx, principal, params }) => {
      const [row] = await ctx.db.query<ChargeRow>('SELECT * FROM charges WHERE id = $1 AND merchant_id = $2', [params.id, principal.id]);
      if (!row) throw new ProtocolError('not_found', `no charge ${params.id} for merchant ${principal.id}`, 404);
      return toCharge(row);
    },
  }),
  route({
    method: 'POST', path: '/v1/merchant/charges/{id}/refunds', tag: 'merchant', auth: ['merchant'], status: 201, body: RefundRequest, response: Refund,
    summary: 'Refund part or all of a charge; without an amount, what remains',
    command: ({ ctx, tx, outbox, principal, params, body }) =>
      refundCharge(ctx, tx, outbox, {
        chargeId: params.id!, merchantId: principal.id, minor: body.amount?.minor, currency: body.amount?.currency, reason: body.reason, initiatedBy: 'merchant',
      }),
  }),
];
