package org.mha4j.check;

import java.util.List;
import org.mha4j.topology.MasterResolution;

/** The verdict of {@code masterha_check_repl}: every finding in check order, and the topology it saw. */
public record CheckReport(List<Finding> findings, MasterResolution resolution) {

    public boolean healthy() {
        return findings.stream().noneMatch(f -> f.severity() == Finding.Severity.ERROR);
    }

    public List<Finding> errors() {
        return findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).toList();
    }
}
