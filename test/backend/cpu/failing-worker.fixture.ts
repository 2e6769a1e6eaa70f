// A worker program that throws while it loads: threads.test.ts points the pool at it to check that
// a worker that cannot start is reported, not silently dropped.
throw new Error('this worker program fails on purpose while loading');
