import { describe, expect, it } from 'vitest';
import { buildSetting, fieldOf, fieldsFrom, relayFieldErrors } from './auto-top-up-fields.ts';

describe('the automatic top-up form', () => {
  it('starts from the setting, or from the first agent with empty amounts', () => {
    const setting = { accountId: 'cra_1', agent: { id: 'agt_2', name: 'B' }, threshold: { minor: 5_00, currency: 'CNY' }, amount: { minor: 20_00, currency: 'CNY' } };
    expect(fieldsFrom(setting, ['agt_1'])).toEqual({ agentId: 'agt_2', threshold: '5.00', amount: '20.00' });
    expect(fieldsFrom(null, ['agt_1', 'agt_2'])).toEqual({ agentId: 'agt_1', threshold: '', amount: '' });
  });

  it('builds the setting in the account currency', () => {
    expect(buildSetting({ agentId: 'agt_1', threshold: '5', amount: '20.50' }, 'CNY')).toEqual({
      ok: true, setting: { agentId: 'agt_1', threshold: { minor: 5_00, currency: 'CNY' }, amount: { minor: 20_50, currency: 'CNY' } },
    });
  });

  it.each([
    [{ agentId: 'agt_1', threshold: '0', amount: '10' }, [{ key: 'threshold', message: 'the threshold must be more than 0.00 CNY: a top-up starts when the balance falls below it' }]],
    [{ agentId: 'agt_1', threshold: '5', amount: '0.00' }, [{ key: 'amount', message: 'the amount to buy must be more than 0.00 CNY' }]],
    [{ agentId: '', threshold: 'five', amount: '' }, [
      { key: 'agentId', message: 'pick the agent whose mandate pays for the top-ups' },
      { key: 'threshold', message: expect.stringContaining('"five" is not an amount') },
      { key: 'amount', message: 'enter an amount' },
    ]],
    [{ agentId: 'agt_1', threshold: '1.234', amount: '10' }, [{ key: 'threshold', message: 'CNY has 2 decimal places; 1.234 has 3' }]],
  ])('refuses %o in words beside the field', (fields, errors) => {
    expect(buildSetting(fields, 'CNY')).toEqual({ ok: false, errors });
  });

  it("puts the relay's details beside the fields they name", () => {
    expect(fieldOf('autoTopUp.threshold.minor')).toBe('threshold');
    expect(fieldOf('amount.currency')).toBe('amount');
    expect(fieldOf('autoTopUp')).toBeNull();
    expect(relayFieldErrors([{ path: 'autoTopUp.agentId', message: "must be one of this wallet's agents" }, { path: '(root)', message: 'x' }]))
      .toEqual([{ key: 'agentId', message: "must be one of this wallet's agents" }]);
    expect(relayFieldErrors(undefined)).toEqual([]);
  });
});
