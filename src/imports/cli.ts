import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { ConfigError, loadConfig, type Config } from '../config';
import { SheetImportError, sheetFormat } from './sheetFile';

export interface ImportCommand<F> {
  /** The usage line printed when the command is misused. */
  usage: string;
  /** Reads and checks the file on its own, before any database is opened. */
  read(path: string): Promise<F>;
  /** Imports what was read; returns the report to print. */
  run(file: F, config: Config): Promise<string>;
}

/**
 * `npm run …:import FILE`: exit 0 when imported, 1 when the file or configuration is wrong (each
 * problem listed, nothing written), 2 when the command itself is misused.
 */
export async function importMain<F>(command: ImportCommand<F>, args: string[]): Promise<number> {
  const [path, ...extra] = args;
  if (!path || extra.length > 0) {
    console.error(command.usage);
    return 2;
  }
  if (!sheetFormat(path)) {
    console.error(`不支持的文件类型：${path}\n${command.usage}`);
    return 2;
  }
  if (!existsSync(path)) {
    console.error(`找不到文件：${path}`);
    return 2;
  }
  try {
    // The file is read before the database is opened, so a bad file is reported without one.
    const file = await command.read(path);
    console.log(await command.run(file, loadConfig()));
    return 0;
  } catch (error) {
    if (error instanceof SheetImportError || error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

/** Runs the command on this process's arguments and sets its exit code. */
export function runImportCli<F>(command: ImportCommand<F>): void {
  importMain(command, process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}

/** Who ran the command, for audit lines: it runs on the server, outside any chat identity. */
export function operatorName(): string {
  try {
    return `服务器用户 ${userInfo().username}`;
  } catch {
    return '服务器用户（未知）';
  }
}
