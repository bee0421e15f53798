// The `express4` dev alias (npm:express@4) has no types of its own; its API is what we use of 5.
declare module 'express4' {
  import type express from 'express';
  const express4: typeof express;
  export default express4;
}
