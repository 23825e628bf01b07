// Errors are visible: stray console output and uncaught exceptions or rejections go to the
// client's output channel (`window/logMessage`), never to stdout, where they would corrupt the
// JSON-RPC stream, and never take the server down.

import { MessageType, ShowMessageNotification, type Connection } from 'vscode-languageserver/node';

export function routeLogsTo(connection: Connection): void {
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  console.info = (...args: unknown[]) => connection.console.info(args.map(String).join(' '));
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
  console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
  process.on('uncaughtException', (error) => connection.console.error(`tinyml: uncaught exception: ${errorText(error)}`));
  process.on('unhandledRejection', (reason) => connection.console.error(`tinyml: unhandled rejection: ${errorText(reason)}`));
}

/** A one-way `window/showMessage` (not a request: there is nothing for the user to choose). */
export function warnUser(connection: Connection) {
  return (message: string): void => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });
}

/** An error with its stack, for the log. */
export function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
