/**
 * Commander with the types of @commander-js/extra-typings, which infer each
 * command's options from its flags (see typed-options.ts). That package's
 * runtime is only a re-export of these same classes from `commander`, so the
 * classes come from `commander` directly: one module less to load, which
 * `--help` start-up time counts (bench/run.js). The package is needed for its
 * types only (a dev dependency).
 */
import * as commander from 'commander';
import type * as typed from '@commander-js/extra-typings';

export type OptionValues = typed.OptionValues;
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type */
export type Command<
  Args extends any[] = [],
  Opts extends OptionValues = {},
  GlobalOpts extends OptionValues = {},
> = typed.Command<Args, Opts, GlobalOpts>;
export type Option<
  Usage extends string = '',
  PresetT = undefined,
  DefaultT = undefined,
  CoerceT = undefined,
  Mandatory extends boolean = false,
  ChoicesT = undefined,
> = typed.Option<Usage, PresetT, DefaultT, CoerceT, Mandatory, ChoicesT>;
/* eslint-enable @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type */
export type CommanderError = typed.CommanderError;

// The runtime classes with extra-typings' types (tsc needs these casts; the type-aware lint
// rule, resolving both packages to the same declarations, does not see why).
/* eslint-disable @typescript-eslint/no-unnecessary-type-assertion */
export const Command = commander.Command as unknown as typeof typed.Command;
export const Option = commander.Option as unknown as typeof typed.Option;
export const CommanderError = commander.CommanderError as unknown as typeof typed.CommanderError;
/* eslint-enable @typescript-eslint/no-unnecessary-type-assertion */
