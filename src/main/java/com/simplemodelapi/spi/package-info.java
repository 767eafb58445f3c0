/**
 * The plug-in API: everything an algorithm's author compiles against, and nothing else of the server. Its types name
 * only the JDK's and each other, apart from Dropwizard Metrics' {@code MetricRegistry}, which a plug-in needs only if
 * it records metrics of its own. The build packages it alone as {@code target/simple-model-api-spi.jar}.
 */
package com.simplemodelapi.spi;
