package org.mha4j.coordination;

import java.util.Optional;

/** A manager alone, as MHA's: it always leads, nothing is shared. */
final class Solo implements Leadership {
    static final Solo INSTANCE = new Solo();

    private Solo() {}

    @Override
    public boolean coordinated() {
        return false;
    }

    @Override
    public boolean leads() {
        return true;
    }

    @Override
    public String leaderText() {
        return "this manager (no coordination)";
    }

    @Override
    public Optional<FailoverJournal> journal() {
        return Optional.empty();
    }

    @Override
    public void takenOver(FailoverJournal j, Takeover.Verdict v) {}

    @Override
    public void onChange(Runnable r) {}

    @Override
    public void close() {}
}
