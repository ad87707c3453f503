package io.redispatterns.sample.lock;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Turns on scheduling for the inventory audit.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class LockSampleConfiguration {

}
