package dev.fastcgi.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BufferPoolTests {

	private final BufferPool pool = new BufferPool(1024, 2);

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
		assertThat(this.pool.take()).isSameAs(first);
		assertThat(this.pool.take()).isSameAs(second);
		assertThat(this.pool.take()).isNotSameAs(third);
	}

	@Test
	void anArrayOfAnotherLengthIsNotKept() {
		byte[] other = new byte[512];
		this.pool.give(other);
		assertThat(this.pool.take()).hasSize(1024).isNotSameAs(other);
	}

}
