package io.redispatterns.queue;

/**
 * How many jobs of a queue are in each state, read in one round trip.
 * @param waiting ready jobs
 * @param delayed jobs waiting for a due time, retries included
 * @param active leased jobs
 * @param completed completed jobs kept by retention
 * @param dead dead-lettered jobs kept by retention
 * @param paused whether the queue is paused
 */
public record QueueDepths(long waiting, long delayed, long active, long completed, long dead, boolean paused) {

}
