import type { Route } from '../route.ts';
import { agentInviteRoutes } from './agent-invites.ts';
import { agentSignatureRoutes } from './agent-signatures.ts';
import { intentRoutes } from './intents.ts';
import { merchantRoutes } from './merchant.ts';
import { publicRoutes } from './public.ts';
import { vendorRoutes } from './vendor.ts';
import { walletRoutes } from './wallet.ts';

/** Every route of the v1 HTTP API; the OpenAPI document is generated from this list. */
export const allRoutes: Route[] = [...publicRoutes, ...intentRoutes, ...walletRoutes, ...merchantRoutes, ...agentInviteRoutes, ...agentSignatureRoutes, ...vendorRoutes];
