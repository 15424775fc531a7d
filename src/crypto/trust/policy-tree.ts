/**
 * The valid_policy_tree of RFC 5280 §6.1 (certificate policies, policy mappings, anyPolicy), for the
 * initial settings Waxseal uses: user-initial-policy-set = {anyPolicy}, initial-explicit-policy,
 * initial-policy-mapping-inhibit and initial-any-policy-inhibit all false (the PKITS defaults). With
 * anyPolicy as the initial set, §6.1.5 (g)(iii) leaves the tree unchanged, so no intersection step is needed.
 */
import { OID } from '../oids.js';

interface PolicyNode {
  validPolicy: string;
  expected: Set<string>;
  children: PolicyNode[];
  parent: PolicyNode | null;
}

export class PolicyTree {
  /** levels[d] holds the nodes at depth d; null once the tree is empty (§6.1.2 (a): "NULL"). */
  private levels: PolicyNode[][] | null;

  constructor() {
    this.levels = [[{ validPolicy: OID.anyPolicy, expected: new Set([OID.anyPolicy]), children: [], parent: null }]];
  }

  get isNull(): boolean {
    return this.levels === null;
  }

  /** §6.1.3 (d) and (e) for certificate i (1-based) of n. */
  processCertificate(i: number, policies: string[] | null, inhibitAnyPolicy: number, isLastOrNotSelfIssued: { last: boolean; selfIssued: boolean }): void {
    if (!this.levels) return;
    if (policies === null) {
      this.levels = null; // (e)
      return;
    }
    const parents = this.levels[i - 1] ?? [];
    const level: PolicyNode[] = [];
    const add = (parent: PolicyNode, policy: string): void => {
      const node: PolicyNode = { validPolicy: policy, expected: new Set([policy]), children: [], parent };
      parent.children.push(node);
      level.push(node);
    };
    for (const policy of policies) {
      if (policy === OID.anyPolicy) continue;
      const matching = parents.filter((node) => node.expected.has(policy));
      if (matching.length > 0) for (const node of matching) add(node, policy); // (d)(1)(i)
      else for (const node of parents.filter((candidate) => candidate.validPolicy === OID.anyPolicy)) add(node, policy); // (d)(1)(ii)
    }
    if (policies.includes(OID.anyPolicy) && (inhibitAnyPolicy > 0 || (!isLastOrNotSelfIssued.last && isLastOrNotSelfIssued.selfIssued))) {
      for (const node of parents) { // (d)(2)
        for (const expected of node.expected) {
          if (!node.children.some((child) => child.validPolicy === expected)) {
            const child: PolicyNode = { validPolicy: expected, expected: new Set([expected]), children: [], parent: node };
            node.children.push(child);
            level.push(child);
          }
        }
      }
    }
    this.levels[i] = level;
    this.prune(i); // (d)(3)
  }

  /** §6.1.4 (b) for certificate i: apply its policyMappings. */
  applyMappings(i: number, mappings: { issuerDomainPolicy: string; subjectDomainPolicy: string }[], policyMapping: number): void {
    if (!this.levels || mappings.length === 0) return;
    const byIssuer = new Map<string, Set<string>>();
    for (const mapping of mappings) {
      const set = byIssuer.get(mapping.issuerDomainPolicy) ?? new Set<string>();
      set.add(mapping.subjectDomainPolicy);
      byIssuer.set(mapping.issuerDomainPolicy, set);
    }
    const level = this.levels[i] ?? [];
    if (policyMapping > 0) {
      for (const [issuerPolicy, subjects] of byIssuer) {
        const nodes = level.filter((node) => node.validPolicy === issuerPolicy);
        if (nodes.length > 0) {
          for (const node of nodes) node.expected = new Set(subjects);
        } else {
          const any = level.find((node) => node.validPolicy === OID.anyPolicy);
          if (any && any.parent) {
            const node: PolicyNode = { validPolicy: issuerPolicy, expected: new Set(subjects), children: [], parent: any.parent };
            any.parent.children.push(node);
            level.push(node);
          }
        }
      }
    } else {
      for (const node of level.filter((candidate) => byIssuer.has(candidate.validPolicy))) {
        node.parent?.children.splice(node.parent.children.indexOf(node), 1);
        level.splice(level.indexOf(node), 1);
      }
      this.prune(i);
    }
  }

  /** Deletes childless nodes above depth `depth`, bottom-up; empties the tree when the root goes. */
  private prune(depth: number): void {
    if (!this.levels) return;
    for (let d = depth - 1; d >= 0; d--) {
      const level = this.levels[d] ?? [];
      for (const node of level.filter((candidate) => candidate.children.length === 0)) {
        node.parent?.children.splice(node.parent.children.indexOf(node), 1);
        level.splice(level.indexOf(node), 1);
      }
    }
    if ((this.levels[0] ?? []).length === 0 || (this.levels[depth] ?? []).length === 0) this.levels = null;
  }
}
