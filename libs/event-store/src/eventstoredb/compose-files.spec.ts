/**
 * Structural checks of the container set-up in docker/: both compose files parse, every service
 * of the application carries a configuration the service itself accepts, the EventStoreDB nodes
 * form the cluster the connection strings name, and the image is built the way the compose files
 * and health checks expect. (No Docker engine is needed: the files are read as YAML.)
 */

import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';
import { AppConfig, loadConfig, PROCESS_ROLES } from '../../../../apps/api/src/config/app-config';

const repositoryRoot = join(__dirname, '..', '..', '..', '..');
const dockerDir = join(repositoryRoot, 'docker');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  init?: boolean;
  stop_grace_period?: string;
  deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** Read as `docker compose` reads it: merge keys (`<<: *anchor`) included. */
const readCompose = (file: string): ComposeFile =>
  load(readFileSync(join(dockerDir, file), 'utf8'), { schema: CORE_SCHEMA.withTags(mergeTag) }) as ComposeFile;

const SERVICE_VARIABLES = ['PORT', 'DATA_DIR', 'EVENT_STORE', 'EVENTSTORE_CONNECTION_STRING', 'API_CLIENTS', 'ROLE', 'LOG_LEVEL'];

/** Compose interpolation as `docker compose` applies it, with the values an operator would pass. */
function interpolate(value: string, operatorEnv: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::?([-?])([^}]*))?\}/g, (_, name: string, kind: string | undefined, fallback: string) => {
    if (operatorEnv[name] !== undefined) return operatorEnv[name];
    if (kind === '-') return fallback;
    if (kind === '?') throw new Error(`${name} must be set: ${fallback}`);
    return '';
  });
}

const isApplication = (service: ComposeService): boolean =>
  service.build?.dockerfile === 'docker/Dockerfile' || (service.image ?? '').startsWith('escrow-ledger');

const isEventStoreNode = (service: ComposeService): boolean => (service.image ?? '').startsWith('eventstore/eventstore');

const applicationServices = (compose: ComposeFile) =>
  Object.entries(compose.services).filter(([, service]) => isApplication(service));

const eventStoreNodes = (compose: ComposeFile) =>
  Object.entries(compose.services).filter(([, service]) => isEventStoreNode(service));

const healthTest = (service: ComposeService): string =>
  [service.healthcheck?.test ?? []].flat().join(' ');

/** host:port pairs of an esdb:// connection string. */
const connectionStringHosts = (connectionString: string): string[] =>
  connectionString.replace(/^esdb(\+discover)?:\/\//, '').split('?')[0].split(',');

/** The variables the runtime stage of docker/Dockerfile sets with ENV. */
function imageEnvironment(): Record<string, string> {
  const dockerfile = readFileSync(join(dockerDir, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const pairs = runtimeStage
    .split('\n')
    .filter((line) => line.trim().startsWith('ENV '))
    .flatMap((line) => line.trim().slice(4).trim().split(/\s+/));
  return Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

describe.each([
  ['compose.dev.yml', {}],
  [
    'compose.cluster.yml',
    {
      API_CLIENTS: JSON.stringify([{ id: 'job-board', roles: ['user'], tokens: ['calling-service-token-0001-0123456789abcdef'] }]),
      DERIVED_ID_KEY: 'derived-id-key-0123456789abcdefghijklmnop',
      BANK_FINGERPRINT_KEY: 'bank-fingerprint-key-0123456789abcdefghij',
      AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
  ],
])('docker/%s', (file, operatorEnv: Record<string, string>) => {
  const compose = readCompose(file);
  const apps = applicationServices(compose);
  const nodes = eventStoreNodes(compose);

  it('has the application and EventStoreDB', () => {
    expect(apps.length).toBeGreaterThan(0);
    expect(nodes.length).toBeGreaterThan(0);
  });

  /** The configuration each application service starts with, as the service itself reads it. */
  const configOf = (service: ComposeService): AppConfig =>
    loadConfig(Object.fromEntries(Object.entries(service.environment ?? {}).map(([name, value]) => [name, interpolate(String(value), operatorEnv)])));

  it('gives every application service each configuration variable, in a form the service accepts', () => {
    for (const [, service] of apps) {
      const environment = service.environment ?? {};
      expect(Object.keys(environment)).toEqual(expect.arrayContaining(SERVICE_VARIABLES));
      const config = configOf(service);
      expect(config).toMatchObject({ port: 3000, dataDir: '/data', eventStore: 'eventstoredb' });
      expect(PROCESS_ROLES).toContain(config.role);
    }
  });

  it('gives every application service a configuration that still holds over the image\'s own environment', () => {
    // The image sets defaults (docker/Dockerfile ENV); a setting there that contradicts a service's would stop it at start.
    for (const [, service] of apps) {
      const environment = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([name, value]) => [name, interpolate(String(value), operatorEnv)]),
      );
      expect(() => loadConfig({ ...imageEnvironment(), ...environment })).not.toThrow();
    }
  });

  it('runs the processors (read models and wallet credits) in exactly one process', () => {
    const runningProcessors = apps.filter(([, service]) => configOf(service).role !== 'api');
    expect(runningProcessors).toHaveLength(1);
  });

  it('points every application service at exactly the EventStoreDB nodes of the file', () => {
    const nodeAddresses = nodes.map(([name]) => `${name}:2113`).sort();
    for (const [, service] of apps) {
      const connectionString = service.environment?.EVENTSTORE_CONNECTION_STRING ?? '';
      expect(connectionString).toMatch(/[?&]tls=false(&|$)/);
      expect(connectionStringHosts(connectionString).sort()).toEqual(nodeAddresses);
    }
  });

  it('starts the application only once every EventStoreDB node is healthy', () => {
    for (const [, service] of apps) {
      for (const [node] of nodes) expect(service.depends_on?.[node]).toEqual({ condition: 'service_healthy' });
    }
  });

  it('health-checks every service, the application on GET /health', () => {
    for (const [, service] of Object.entries(compose.services)) expect(healthTest(service)).not.toBe('');
    for (const [, service] of apps) expect(healthTest(service)).toContain('/health');
    for (const [, service] of apps) expect(healthTest(service)).toContain('/health/ready');
    for (const [, node] of nodes) expect(healthTest(node)).toContain('/health/live');
  });

  it('gives every application process a /data volume, shared only by ROLE=api processes with the one process that keeps its read models, and distinct host ports', () => {
    const dataVolumes = apps.map(([, service]) => (service.volumes ?? []).find((volume) => volume.endsWith(':/data')));
    expect(dataVolumes.every((volume) => volume !== undefined)).toBe(true);
    for (const volume of dataVolumes) expect(compose.volumes).toHaveProperty(volume!.split(':')[0]);
    for (const volume of new Set(dataVolumes)) {
      const roles = apps.filter((_, index) => dataVolumes[index] === volume).map(([, service]) => configOf(service).role);
      // One writer of the read models per folder; a ROLE=api process reads those of the folder it shares.
      expect(roles.filter((role) => role !== 'api')).toHaveLength(1);
    }

    const hostPorts = Object.values(compose.services).flatMap((service) => (service.ports ?? []).map((port) => port.split(':')[0]));
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });

  it('gives every service a stop grace period longer than its own clean stop, and limits on CPU and memory', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const limits = service.deploy?.resources?.limits;
      expect({ name, cpus: Number(limits?.cpus) > 0, memory: /^\d+(\.\d+)?[KMG]$/.test(limits?.memory ?? '') }).toEqual({ name, cpus: true, memory: true });
      expect({ name, grace: /^\d+s$/.test(service.stop_grace_period ?? '') }).toEqual({ name, grace: true });
    }
    for (const [, service] of apps) {
      // The service cuts its last requests at SHUTDOWN_GRACE_MS and exits at most 1.5 s later; the grace period must cover both.
      const graceMs = Number.parseInt(service.stop_grace_period!, 10) * 1000;
      expect(graceMs).toBeGreaterThan(configOf(service).shutdownGraceMs + 1_500);
    }
  });

  it('runs EventStoreDB insecure, without server-side projections, as a cluster of the size it declares', () => {
    for (const [name, node] of nodes) {
      const environment = node.environment ?? {};
      expect(environment).toMatchObject({
        EVENTSTORE_CLUSTER_SIZE: String(nodes.length),
        EVENTSTORE_INSECURE: 'true',
        EVENTSTORE_RUN_PROJECTIONS: 'None',
      });
      if (nodes.length > 1) {
        const seeds = (environment.EVENTSTORE_GOSSIP_SEED ?? '').split(',').sort();
        const others = nodes.filter(([other]) => other !== name).map(([other]) => `${other}:2113`).sort();
        expect(seeds).toEqual(others);
        expect(environment.EVENTSTORE_NODE_HOST_ADVERTISE_AS).toBe(name);
        expect(environment.EVENTSTORE_REPLICATION_HOST_ADVERTISE_AS).toBe(name);
      }
    }
  });
});

describe('docker/compose.dev.yml', () => {
  it('connects to its single node with the documented connection string', () => {
    const [[, service]] = applicationServices(readCompose('compose.dev.yml'));
    expect(service.environment?.EVENTSTORE_CONNECTION_STRING).toBe('esdb://eventstore:2113?tls=false');
    expect(service.environment?.EVENT_STORE).toBe('eventstoredb');
  });
});

describe('docker/compose.cluster.yml', () => {
  const compose = readCompose('compose.cluster.yml');

  it('runs two API replicas and a projector that takes no client traffic', () => {
    expect(applicationServices(compose).map(([name]) => name).sort()).toEqual(['api-1', 'api-2', 'projector']);
    expect(compose.services.projector.ports ?? []).toEqual([]);
    expect(compose.services['api-1'].ports).toHaveLength(1);
    expect(compose.services['api-2'].ports).toHaveLength(1);
  });

  it('runs the API replicas with ROLE=api, on the projector\'s data volume, once the projector (ROLE=processors) is healthy', () => {
    expect(compose.services.projector.environment?.ROLE).toBe('processors');
    const projectorVolume = (compose.services.projector.volumes ?? []).find((volume) => volume.endsWith(':/data'));
    for (const name of ['api-1', 'api-2']) {
      const service = compose.services[name];
      expect(service.environment?.ROLE).toBe('api');
      expect(service.environment).not.toHaveProperty('PROJECTIONS');
      expect(service.volumes).toContain(projectorVolume);
      expect(service.depends_on?.projector).toEqual({ condition: 'service_healthy' });
    }
  });

  it('has three EventStoreDB nodes', () => {
    expect(eventStoreNodes(compose)).toHaveLength(3);
  });

  it('refuses to start without calling services, a shared id key or a shared fingerprint key', () => {
    const environment = compose.services['api-1'].environment ?? {};
    expect(() => interpolate(environment.API_CLIENTS ?? '', {})).toThrow(/API_CLIENTS must be set/);
    expect(() => interpolate(environment.DERIVED_ID_KEY ?? '', {})).toThrow(/DERIVED_ID_KEY must be set/);
    expect(() => interpolate(environment.BANK_FINGERPRINT_KEY ?? '', {})).toThrow(/BANK_FINGERPRINT_KEY must be set/);
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = readFileSync(join(dockerDir, 'Dockerfile'), 'utf8');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages = instructions.filter((line) => line.startsWith('FROM '));
  const runtime = instructions.slice(instructions.lastIndexOf(stages[stages.length - 1]));

  it('builds in one stage and runs in another, both on a supported Node.js LTS (22 or 24) pinned by digest', () => {
    expect(stages).toHaveLength(2);
    expect(stages.every((stage) => stage.startsWith('FROM ${NODE_IMAGE} AS '))).toBe(true);
    expect(instructions.filter((line) => line.startsWith('ARG NODE_IMAGE='))).toEqual([
      expect.stringMatching(/^ARG NODE_IMAGE=node:(22|24)(\.\d+)*-(bookworm|trixie)-slim@sha256:[0-9a-f]{64}$/),
    ]);
    expect(instructions.some((line) => /^RUN npm ci\b/.test(line))).toBe(true);
    expect(instructions.some((line) => /^RUN npm run build\b/.test(line))).toBe(true);
    expect(instructions.some((line) => /^RUN npm prune --omit=dev\b/.test(line))).toBe(true);
    expect(runtime.some((line) => /^RUN npm (ci|install)\b/.test(line))).toBe(false);
  });

  it('runs as a non-root user with /data as its data volume, exposing 3000 and checking /health', () => {
    expect(runtime).toContain('USER node');
    expect(runtime).toContain('VOLUME ["/data"]');
    expect(runtime).toContain('EXPOSE 3000');
    expect(runtime.find((line) => line.startsWith('ENV '))).toMatch(/DATA_DIR=\/data/);
    expect(runtime.find((line) => line.startsWith('HEALTHCHECK '))).toMatch(/\/health/);
    expect(runtime.find((line) => line.startsWith('HEALTHCHECK '))).toMatch(/\/health\/ready/);
    expect(runtime).toContain('STOPSIGNAL SIGTERM');
  });

  it('starts the entry point that `nest build api` produces', () => {
    const nestCli = JSON.parse(readFileSync(join(repositoryRoot, 'nest-cli.json'), 'utf8')) as {
      projects: { api: { entryFile: string } };
    };
    const appTsconfig = JSON.parse(readFileSync(join(repositoryRoot, 'apps/api/tsconfig.app.json'), 'utf8')) as {
      compilerOptions: { outDir: string };
    };
    const outDir = join('apps/api', appTsconfig.compilerOptions.outDir);
    const entry = `${join(outDir, nestCli.projects.api.entryFile)}.js`;

    expect(runtime[runtime.length - 1]).toBe(`CMD ["node", "${entry}"]`);
    expect(instructions.find((line) => line.startsWith('RUN npm run build'))).toContain(`test -f ${entry}`);
  });
});

describe('docker/Dockerfile.dockerignore', () => {
  it('keeps local installs, builds and data out of the build context', () => {
    const rules = readFileSync(join(dockerDir, 'Dockerfile.dockerignore'), 'utf8').split('\n');
    expect(rules).toEqual(expect.arrayContaining(['**/node_modules', 'dist', 'data', '.git']));
  });
});
