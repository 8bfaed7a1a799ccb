/** lnd's enum name for people, or `#N` for a number this tool does not know. */
import { eventTypeName, failureCodeName, failureDetailName } from '../../events/enums.js';

export const eventTypeLabel = (n: number): string => eventTypeName(n) ?? '#' + n;
export const failureCodeLabel = (n: number): string => failureCodeName(n) ?? '#' + n;
export const failureDetailLabel = (n: number): string => failureDetailName(n) ?? '#' + n;
