/**
 * The merchants the simulator pays: a car park at a gate and a tea house at
 * a counter, both served by one local HTTP server that takes the token a
 * device hands over (`{ reference, token }`) and charges it at the relay, as
 * a merchant's own backend would.
 */
import { type Charge, generateSigningKey, type Merchant, type Money, RelayHttpClient } from '@agentpay/protocol';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SimMerchant {
  record: Merchant;
  client: RelayHttpClient;
  privateKey: CryptoKey;
  /** Where devices POST `{ reference, token }`. */
  notifyUrl: string;
  /** Opens a bill (a parking session, a tea order) the next token pays. */
  bill(reference: string, amount: Money): void;
}

export interface SimMerchants {
  parking: SimMerchant;
  teaHouse: SimMerchant;
  close(): Promise<void>;
}

export async function startMerchants(relayUrl: string, log: (line: string) => void): Promise<SimMerchants> {
  const bills = new Map<string, { merchant: SimMerchant; amount: Money }>();
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    try {
      const { reference, token } = JSON.parse(body) as { reference?: string; token?: string };
      const bill = reference ? bills.get(reference) : undefined;
      if (!bill || !token) throw new Error(`no open bill ${reference}`);
      const charge = await bill.merchant.client.post<Charge>('/v1/merchant/charges', { token, amount: bill.amount, reference });
      bills.delete(reference!);
      log(`   merchant  ${bill.merchant.record.name} charged ${charge.id} for ${reference}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(charge));
    } catch (error) {
      res.writeHead(402, { 'content-type': 'text/plain' }).end((error as Error).message);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const register = async (name: string, mcc: string, path: string): Promise<SimMerchant> => {
    const key = await generateSigningKey();
    const record = await new RelayHttpClient(relayUrl, undefined)
      .as({ id: 'self', privateKey: key.privateKey })
      .post<Merchant>('/v1/merchants', { name, publicKey: key.publicJwk, origins: [base], mcc });
    const merchant: SimMerchant = {
      record,
      client: new RelayHttpClient(relayUrl, undefined).as({ id: record.id, privateKey: key.privateKey }),
      privateKey: key.privateKey,
      notifyUrl: `${base}${path}`,
      bill: (reference, amount) => void bills.set(reference, { merchant, amount }),
    };
    return merchant;
  };
  return {
    parking: await register('Stadium Parking', '7523', '/parking/notify'),
    teaHouse: await register('Corner Tea House', '5814', '/tea/notify'),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
