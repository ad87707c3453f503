package io.redispatterns.stream.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Internal: the entries handed to handlers and not finished yet, tracked per share (the entries one thread runs one
 * after the other): one set operation when a share starts and one when it ends, and the thread that runs it counts
 * its progress in a field of its own, instead of every entry going in and out of a set shared by the reader and
 * all workers. Counting and listing the ids (health, a reconnect) walk the shares.
 */
final class InFlightEntries {

	private final Set<Share> shares = ConcurrentHashMap.newKeySet();

	/** Starts tracking a share (its entries count as in flight until {@link #end}). */
	Share begin(List<StreamEntry> entries) {
		Share share = new Share(entries);
		this.shares.add(share);
		return share;
	}

	/** Stops tracking a share: its entries are finished, or given up. */
	void end(Share share) {
		this.shares.remove(share);
	}

	/** Entries handed over and not finished. */
	int count() {
		int count = 0;
		for (Share share : this.shares) {
			count += share.remaining();
		}
		return count;
	}

	boolean isEmpty() {
		return this.shares.isEmpty();
	}

	/** The ids of the entries handed over and not finished. */
	List<String> ids() {
		List<String> ids = new ArrayList<>();
		for (Share share : this.shares) {
			List<StreamEntry> entries = share.entries;
			for (int i = share.done; i < entries.size(); i++) {
				ids.add(entries.get(i).id());
			}
		}
		return ids;
	}

	/** Whether an entry with this id is handed over and not finished. */
	boolean contains(String id) {
		for (Share share : this.shares) {
			List<StreamEntry> entries = share.entries;
			for (int i = share.done; i < entries.size(); i++) {
				if (entries.get(i).id().equals(id)) {
					return true;
				}
			}
		}
		return false;
	}

	/** Entries run one after the other by one thread, which alone advances {@link #done}. */
	static final class Share {

		final List<StreamEntry> entries;

		/** How many of the entries are finished (written by the thread that runs the share). */
		volatile int done;

		private Share(List<StreamEntry> entries) {
			this.entries = entries;
		}

		int remaining() {
			return this.entries.size() - this.done;
		}

		/** Marks the next entry finished. */
		@SuppressWarnings("NonAtomicVolatileUpdate")
		void finishedOne() {
			// one writer: the thread that runs the share
			this.done++;
		}

	}

}
