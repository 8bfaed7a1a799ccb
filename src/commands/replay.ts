export async function runReplayCommand(_opts: Record<string, unknown>, _args: string[]): Promise<number> {
  throw new Error('replay is not implemented yet');
}
