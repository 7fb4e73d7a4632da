import { createInterface } from 'node:readline';
import { Command, Option } from 'commander';
import { PERMISSIONS } from '../http/permissions.js';
import { DomainError } from '../shared/errors.js';
import { ROLES, type Role } from '../users/principal.js';
import { withContext } from './context.js';
import { printJson } from './output.js';

const readAll = async (stream: NodeJS.ReadStream): Promise<string> => {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
};

/** Reads a password from stdin (piped) or asks for it without echo; never from a flag, which shells keep in history. */
const readPassword = async (fromStdin: boolean): Promise<string> => {
  if (fromStdin || !process.stdin.isTTY) return (await readAll(process.stdin)).split('\n')[0]!.trimEnd();
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      const reader = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      const muted = reader as unknown as { _writeToOutput: (text: string) => void };
      process.stderr.write(prompt);
      muted._writeToOutput = () => undefined;
      reader.question('', (answer) => {
        reader.close();
        process.stderr.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('Password: ');
  const second = await ask('Repeat password: ');
  if (first !== second) throw new DomainError('validation', 'The two passwords differ', [{ path: 'password', message: 'type the same password twice' }]);
  return first;
};

const offices = (value: string): string[] => value.split(',').map((office) => office.trim()).filter(Boolean);

export const usersCommand = (): Command => {
  const users = new Command('users').description('People who sign in to Caravan: administrators, analysts, officers, auditors');
  users
    .command('create-admin')
    .description('Create the first administrator (refused once an active administrator exists)')
    .argument('<username>', 'lower-case user name')
    .option('--password-stdin', 'read the password from standard input instead of asking')
    .action(async (username: string, options: { passwordStdin?: boolean }, command: Command) => {
      const password = await readPassword(options.passwordStdin === true);
      await withContext(command, async (context) => {
        const user = await context.users.createFirstAdmin(username, password);
        await context.audit.recordNow({ actor: 'cli', action: 'users create-admin', target: user.id, details: { username } });
        process.stdout.write(`Administrator ${user.username} created.\n`);
      });
    });
  users
    .command('create')
    .description('Create a user')
    .argument('<username>', 'lower-case user name')
    .addOption(new Option('--role <role>', 'role').choices(ROLES.filter((role) => role !== 'integration')).makeOptionMandatory())
    .option('--offices <codes>', 'comma-separated office codes (officers only)', offices)
    .option('--password-stdin', 'read the password from standard input instead of asking')
    .action(async (username: string, options: { role: Role; offices?: string[]; passwordStdin?: boolean }, command: Command) => {
      const password = await readPassword(options.passwordStdin === true);
      await withContext(command, async (context) => {
        const user = await context.users.create({ username, password, role: options.role, ...(options.offices ? { offices: options.offices } : {}) });
        await context.audit.recordNow({ actor: 'cli', action: 'users create', target: user.id, details: { username, role: user.role, offices: user.offices } });
        process.stdout.write(`User ${user.username} (${user.role}) created.\n`);
      });
    });
  users
    .command('ls')
    .description('List users')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withContext(command, async (context) => {
        const list = await context.users.list();
        if (options.json) return printJson(list);
        for (const user of list) {
          process.stdout.write(`${user.username.padEnd(24)} ${user.role.padEnd(9)} ${user.offices === 'all' ? 'all offices' : user.offices.join(',')}${user.disabled ? '  (disabled)' : ''}\n`);
        }
      });
    });
  users
    .command('disable')
    .description('Disable a user and end their sessions')
    .argument('<username>')
    .action(async (username: string, _options: unknown, command: Command) => {
      await withContext(command, async (context) => {
        const user = (await context.users.list()).find((candidate) => candidate.username === username);
        if (!user) throw new DomainError('not_found', `No user ${username}`);
        const cli = { kind: 'token' as const, id: 'cli', username: 'cli', role: 'admin' as const, offices: 'all' as const, permissions: new Set(PERMISSIONS) };
        const { before, after } = await context.users.change(user.id, { disabled: true }, cli);
        await context.audit.recordNow({ actor: 'cli', action: 'users disable', target: user.id, details: { before, after } });
        process.stdout.write(`User ${username} disabled.\n`);
      });
    });
  return users;
};

export const tokensCommand = (): Command => {
  const tokens = new Command('tokens').description('Machine tokens for integrations (declaration systems, e-seal operators, list feeds)');
  tokens
    .command('create')
    .description('Issue a token; its secret is printed once and only its hash is kept')
    .argument('<name>', 'what the token is for, e.g. eseal-operator')
    .requiredOption('--scopes <permissions>', `comma-separated permissions: ${PERMISSIONS.filter((permission) => permission !== 'users:admin').join(', ')}`, offices)
    .option('--offices <codes>', 'limit the token to movements touching these offices', offices)
    .option('--expires-in-days <days>', 'expiry', (value) => Number(value))
    .action(async (name: string, options: { scopes: string[]; offices?: string[]; expiresInDays?: number }, command: Command) => {
      await withContext(command, async (context) => {
        const issued = await context.users.createToken(
          { name, scopes: options.scopes, ...(options.offices ? { offices: options.offices } : {}), ...(options.expiresInDays !== undefined ? { expiresInDays: options.expiresInDays } : {}) },
          'cli',
        );
        await context.audit.recordNow({ actor: 'cli', action: 'tokens create', target: issued.record.id, details: { name, scopes: issued.record.scopes } });
        process.stderr.write('Store this token now; Caravan keeps only its hash and cannot show it again.\n');
        process.stdout.write(`${issued.token}\n`);
      });
    });
  tokens
    .command('ls')
    .description('List tokens (never their secrets)')
    .action(async (_options: unknown, command: Command) => {
      await withContext(command, async (context) => {
        for (const token of await context.users.tokens()) {
          process.stdout.write(`${token.name.padEnd(28)} ${token.revokedAt ? 'revoked' : 'active '} ${token.scopes.join(',')}\n`);
        }
      });
    });
  tokens
    .command('revoke')
    .description('Revoke a token by name or id')
    .argument('<name>')
    .action(async (name: string, _options: unknown, command: Command) => {
      await withContext(command, async (context) => {
        const token = await context.users.revokeToken(name);
        await context.audit.recordNow({ actor: 'cli', action: 'tokens revoke', target: token.id, details: { name: token.name } });
        process.stdout.write(`Token ${token.name} revoked.\n`);
      });
    });
  return tokens;
};
