/**
 * The plug-in API: everything an algorithm's author compiles against, and nothing else of the server. It depends on
 * Jackson's {@code JsonNode} and Dropwizard Metrics' {@code MetricRegistry} only. The build packages it alone as
 * {@code target/simple-model-api-spi.jar}.
 */
package com.simplemodelapi.spi;
