/** The name under which a person's own checkouts are held, when they opted in: not an agent, but you. */
export const SELF_AGENT = 'You, in this browser';
