// An end-to-end hook closes an application, its pools and queues, and drops a database: on a busy
// machine that can take longer than Jest's 5 s default, which failed whole suites whose tests passed.
jest.setTimeout(60_000);
