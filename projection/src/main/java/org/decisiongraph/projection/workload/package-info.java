/** Seeded synthetic workloads (realistic decision traces) for benchmarks and property tests. */
package org.decisiongraph.projection.workload;
