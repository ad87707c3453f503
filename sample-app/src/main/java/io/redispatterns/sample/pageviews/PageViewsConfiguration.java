package io.redispatterns.sample.pageviews;

import io.redispatterns.writebehind.WriteBehinds;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Registers the page-view filter ahead of Spring Security (-100) and of any response-cache filter.
 */
@Configuration(proxyBeanMethods = false)
class PageViewsConfiguration {

	/** Right after the library's Redis-failure filter, before everything else. */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 50;

	@Bean
	FilterRegistrationBean<PageViewFilter> pageViewFilter(WriteBehinds buffers) {
		FilterRegistrationBean<PageViewFilter> registration = new FilterRegistrationBean<>(new PageViewFilter(buffers));
		registration.addUrlPatterns("/api/products/*");
		registration.setOrder(ORDER);
		return registration;
	}

}
