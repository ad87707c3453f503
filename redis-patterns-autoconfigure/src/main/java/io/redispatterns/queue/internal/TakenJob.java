package io.redispatterns.queue.internal;

/**
 * Internal: a job leased by a worker, as returned by the take script.
 * @param id the job's id
 * @param name the job's name
 * @param payload the payload JSON
 * @param attempt this attempt, from 1
 * @param maxAttempts attempts of the job, 0 for the handler's
 * @param backoff the job's encoded back-off, empty for the handler's
 * @param waitedMillis time since the job became ready
 * @param headers the headers JSON, empty for none
 * @param parent the flow parent reference ({@link FlowParent}), empty for none
 * @param lease the lease: the job's member of the active set ({@code lease.lua}), which the scripts that end or
 * renew the lease are given to prove it is still held
 * @param facts what the completion needs to know of the job hash as it was leased ({@code lease.lua:
 * leaseFacts})
 */
record TakenJob(String id, String name, String payload, int attempt, int maxAttempts, String backoff,
		long waitedMillis, String headers, String parent, String lease, String facts) {

}
