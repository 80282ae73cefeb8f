import { browser } from 'wxt/browser';

/** A system notification: how the user learns of payments made without a window. */
export async function notify(title: string, message: string): Promise<void> {
  await browser.notifications
    .create({ type: 'basic', iconUrl: browser.runtime.getURL('/icon/128.png'), title, message })
    .catch(() => undefined); // notifications may be switched off; the wallet page still lists the record
}
