export async function runCheckCommand(_opts: Record<string, unknown>): Promise<number> {
  throw new Error('check is not implemented yet');
}
