import { AGENT_ENTITY_NAMES, CRD_ENTITY_NAMES } from '../../wire/cilium/entity';
import { invalid } from '../errors';
import { CiliumPeerConfig, CiliumPeerKind, ICiliumPeer } from './peers';

// A manifest can only carry the CRD's entity names (wire/cilium/entity.ts): the agent also knows
// world-ipv4 and world-ipv6, but the API server rejects a CNP/CCNP that names them.
const ENTITY_NAMES: readonly string[] = CRD_ENTITY_NAMES;
/** What to write instead of an agent-only entity. */
const FAMILY_CIDRS = new Map([['world-ipv4', 'Cidr.anyIpv4()'], ['world-ipv6', 'Cidr.anyIpv6()']]);
const AGENT_ONLY_ENTITIES: readonly string[] = AGENT_ENTITY_NAMES.filter(n => !ENTITY_NAMES.includes(n));

/** A Cilium entity: a class of peers without individual identity (`fromEntities` / `toEntities`). */
export class Entity implements ICiliumPeer {
  /** Everything, inside and outside the cluster. */
  public static readonly ALL = new Entity('all');
  /** Everything outside the cluster (addresses without a cluster identity). */
  public static readonly WORLD = new Entity('world');
  /** Every endpoint and node of the local cluster. */
  public static readonly CLUSTER = new Entity('cluster');
  /** The local host, including host-networking pods. */
  public static readonly HOST = new Entity('host');
  /** Other nodes of the cluster. */
  public static readonly REMOTE_NODE = new Entity('remote-node');
  /** The Kubernetes API server. */
  public static readonly KUBE_APISERVER = new Entity('kube-apiserver');
  /** Cilium's Envoy that handles Ingress / Gateway API traffic. */
  public static readonly INGRESS = new Entity('ingress');
  /** Cilium health-check endpoints. */
  public static readonly HEALTH = new Entity('health');
  /** Endpoints whose identity is not resolved yet. */
  public static readonly INIT = new Entity('init');
  /** Pods not managed by Cilium. */
  public static readonly UNMANAGED = new Entity('unmanaged');
  /** Nothing (selects no peer). */
  public static readonly NONE = new Entity('none');

  /**
   * An entity by its Cilium name, e.g. `"remote-node"`.
   * @param name one of the entity names Cilium 1.18 accepts: `all`, `world`, `cluster`, `host`, `init`, `ingress`, `unmanaged`, `remote-node`, `health`, `none`, `kube-apiserver`
   */
  public static of(name: string): Entity {
    if (AGENT_ONLY_ENTITIES.includes(name)) {
      const familyCidr = FAMILY_CIDRS.get(name);
      throw invalid('Entity', name, 'is known to Cilium\'s policy engine but not in the CiliumNetworkPolicy CRD\'s entity enum, so the API server rejects it',
        `use Entity.WORLD${familyCidr ? `, or ${familyCidr} for the outside addresses of one family` : ''}`);
    }
    if (typeof name !== 'string' || !ENTITY_NAMES.includes(name)) {
      throw invalid('Entity', name, 'is not a Cilium entity', `use one of ${ENTITY_NAMES.join(', ')} (Entity.WORLD, Entity.CLUSTER, ...)`);
    }
    return new Entity(name);
  }

  /** The entity name. */
  public readonly entityName: string;

  private constructor(name: string) {
    this.entityName = name;
  }

  public toCiliumPeer(): CiliumPeerConfig {
    return { kind: CiliumPeerKind.ENTITY, entity: this.entityName };
  }

  public toString(): string {
    return `entity(${this.entityName})`;
  }
}
