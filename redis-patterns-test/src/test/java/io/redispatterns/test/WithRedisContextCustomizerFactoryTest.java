package io.redispatterns.test;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.ContextCustomizer;

import static org.assertj.core.api.Assertions.assertThat;

class WithRedisContextCustomizerFactoryTest {

	private final WithRedisContextCustomizerFactory factory = new WithRedisContextCustomizerFactory();

	@Test
	void ignoresClassesWithoutWithRedis() {
		assertThat(this.factory.createContextCustomizer(Plain.class, List.of())).isNull();
	}

	@Test
	void sharedCustomizersOfTheSameTopologyAreEqualAcrossClasses() {
		ContextCustomizer one = this.factory.createContextCustomizer(SharedOne.class, List.of());
		ContextCustomizer two = this.factory.createContextCustomizer(SharedTwo.class, List.of());
		assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
		assertThat(one).isNotEqualTo(this.factory.createContextCustomizer(SharedCluster.class, List.of()));
	}

	@Test
	void unsharedCustomizersAreEqualOnlyForTheSameClass() {
		ContextCustomizer one = this.factory.createContextCustomizer(UnsharedOne.class, List.of());
		assertThat(one).isEqualTo(this.factory.createContextCustomizer(UnsharedOne.class, List.of()));
		assertThat(one).isNotEqualTo(this.factory.createContextCustomizer(UnsharedTwo.class, List.of()));
	}

	@Test
	void findsTheAnnotationOnTheEnclosingClassOfANestedClass() {
		assertThat(this.factory.createContextCustomizer(SharedOne.Inner.class, List.of()))
			.isEqualTo(this.factory.createContextCustomizer(SharedOne.class, List.of()));
	}

	static class Plain {

	}

	@WithRedis
	static class SharedOne {

		class Inner {

		}

	}

	@WithRedis
	static class SharedTwo {

	}

	@WithRedis(topology = RedisTopology.CLUSTER)
	static class SharedCluster {

	}

	@WithRedis(shared = false)
	static class UnsharedOne {

	}

	@WithRedis(shared = false)
	static class UnsharedTwo {

	}

}
