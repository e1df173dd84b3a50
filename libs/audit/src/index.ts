/** The verifiable log's pure core: RFC 6962 Merkle tree, proofs, leaf format and signed tree heads. */
export * from './merkle/hashes';
export * from './merkle/complete-subtrees';
export * from './merkle/proofs';
export * from './merkle/verify';
export * from './leaf/leaf-bytes';
export * from './tree-head/tree-head';
