/** A Mermaid flowchart reduced to what the docs checks compare: labelled nodes and edges. */
export interface Flowchart {
  /** Node id → label (as written, `<br/>` kept). */
  readonly nodes: ReadonlyMap<string, string>;
  readonly edges: readonly { readonly from: string; readonly to: string; readonly label: string; readonly dotted: boolean }[];
}

const NODE = /\b(\w+)\s*(?:\[\(|\(\[|\[|\(|\{)"([^"]*)"/g;
// a --> b · a -.-> b · a -- "x" --> b · a -. "x" .-> b · a -->|x| b
const EDGE = /^\s*(\w+)(?:\[[^\]]*\])?\s*(-->|-\.->|--\s*"([^"]*)"\s*-->|-\.\s*"([^"]*)"\s*\.->|-->\|([^|]*)\||-\.->\|([^|]*)\|)\s*(\w+)/;

export function parseFlowchart(source: string): Flowchart {
  const nodes = new Map<string, string>();
  const edges: Flowchart['edges'][number][] = [];
  for (const line of source.split('\n')) {
    if (/^\s*(flowchart|graph|subgraph|end\b|%%)/.test(line)) {
      // A subgraph's title is not a node.
      continue;
    }
    for (const m of line.matchAll(NODE)) nodes.set(m[1]!, m[2]!);
    const edge = EDGE.exec(line);
    if (edge) {
      const arrow = edge[2]!;
      edges.push({ from: edge[1]!, to: edge[7]!, label: edge[3] ?? edge[4] ?? edge[5] ?? edge[6] ?? '', dotted: arrow.startsWith('-.') });
    }
  }
  return { nodes, edges };
}
