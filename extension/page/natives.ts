/**
 * Taken when the interceptor loads, before any script of the page. A page (or an agent running
 * script in it) that later replaces `Function.prototype.call`, `Reflect.apply` or
 * `Promise.prototype.then` could otherwise be handed the browser's own `fetch` or `submit` by
 * the holds, or run their continuations early: the holds call the natives through `apply`, and
 * wait with `after`.
 */
export const apply = Reflect.apply;

/**
 * Runs `then` once `answer` has settled. Awaited rather than chained with `.then()`, which a page
 * can replace; and `then` must read the state again rather than trust the value, since a page can
 * still make an await of a promise resume early (by changing `Promise.prototype.constructor`).
 */
export async function after(answer: Promise<unknown>, then: () => void): Promise<void> {
  await answer;
  then();
}
