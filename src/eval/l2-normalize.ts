/**
 * A vector scaled to unit length (L2 norm 1), so that a dot product of two is their cosine
 * similarity. An all-zero vector has no direction and stays all zeros.
 */
export function l2Normalize(vector: ArrayLike<number>): Float32Array {
  let squares = 0;
  for (let i = 0; i < vector.length; i++) squares += vector[i] * vector[i];
  const out = Float32Array.from(vector);
  if (squares === 0) return out;
  const inverse = 1 / Math.sqrt(squares);
  for (let i = 0; i < out.length; i++) out[i] *= inverse;
  return out;
}
