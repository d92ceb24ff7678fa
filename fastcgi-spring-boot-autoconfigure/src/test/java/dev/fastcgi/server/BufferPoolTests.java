package dev.fastcgi.server;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BufferPoolTests {

	private final BufferPool<byte[]> pool = BufferPool.arrays(1024, 2);

	@Test
	void anArrayGivenBackIsTakenAgain() {
		byte[] first = this.pool.take();
		assertThat(first).hasSize(1024);
		this.pool.give(first);
		assertThat(this.pool.take()).isSameAs(first);
		assertThat(this.pool.take()).isNotSameAs(first).hasSize(1024);
	}

	@Test
	void keepsNoMoreThanItsCapacity() {
		byte[] first = this.pool.take();
		byte[] second = this.pool.take();
		byte[] third = this.pool.take();
		this.pool.give(first);
		this.pool.give(second);
		this.pool.give(third);
		assertThat(this.pool.take()).isSameAs(second);
		assertThat(this.pool.take()).isSameAs(first);
		assertThat(this.pool.take()).isNotSameAs(third);
	}

	@Test
	void threadsTakingAndGivingAtOnceNeverShareABufferNorOverfillIt() throws Exception {
		Set<byte[]> inUse = ConcurrentHashMap.newKeySet();
		Set<byte[]> seen = ConcurrentHashMap.newKeySet();
		AtomicInteger shared = new AtomicInteger();
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < 4; t++) {
			Thread thread = new Thread(() -> {
				for (int i = 0; i < 20_000; i++) {
					byte[] buffer = this.pool.take();
					seen.add(buffer);
					if (!inUse.add(buffer)) {
						shared.incrementAndGet();
					}
					inUse.remove(buffer);
					this.pool.give(buffer);
				}
			});
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			thread.join();
		}
		assertThat(shared).hasValue(0);
		// byte arrays are equal by identity in the set, unlike in AssertJ's comparisons
		assertThat(List.of(seen.contains(this.pool.take()), seen.contains(this.pool.take()),
				seen.contains(this.pool.take()))).containsExactly(true, true, false);
	}

	@Test
	void directBuffersAreDirectAndReused() {
		BufferPool<ByteBuffer> direct = BufferPool.direct(4096, 1);
		ByteBuffer first = direct.take();
		assertThat(first.isDirect()).isTrue();
		assertThat(first.capacity()).isEqualTo(4096);
		direct.give(first);
		direct.give(ByteBuffer.allocateDirect(1024));
		assertThat(direct.take()).isSameAs(first);
		assertThat(direct.take()).isNotSameAs(first).extracting(ByteBuffer::capacity).isEqualTo(4096);
	}

	@Test
	void anArrayOfAnotherLengthIsNotKept() {
		byte[] other = new byte[512];
		this.pool.give(other);
		assertThat(this.pool.take()).hasSize(1024).isNotSameAs(other);
	}

}
