// vmath::logf against the C library across the float range the losses see.
#include <QtTest>
#include <cmath>

#include "engine/core/vec_math.h"

using namespace netloom::engine;

class TestVecMath : public QObject {
    Q_OBJECT
private slots:
    void logMatchesLibm() {
        double worst = 0;
        float worstAt = 0;
        // Every 97th float from the smallest normal up to 1e6 (about 10 million values).
        for (uint32_t bits = 0x00800000u; bits < 0x49742400u; bits += 97) {
            const float x = std::bit_cast<float>(bits);
            const double exact = std::log(static_cast<double>(x));
            const double err = std::abs(vmath::logf(x) - exact) / std::max(std::abs(exact), 1e-3);
            if (err > worst) worst = err, worstAt = x;
        }
        QVERIFY2(worst < 3e-7,
                 qPrintable(QString("relative error %1 at %2").arg(worst).arg(worstAt)));
        QCOMPARE(vmath::logf(1.0f), 0.0f);
        QVERIFY(std::abs(vmath::logf(0.5f) - std::log(0.5f)) < 1e-7f);
    }

    void zeroAndSubnormalsAreHugeNegative() {
        QVERIFY(vmath::logf(0.0f) <= -1e29f);
        QVERIFY(vmath::logf(1e-40f) <= -1e29f);
        QVERIFY(vmath::logf(-1.0f) <= -1e29f);
    }
};

QTEST_GUILESS_MAIN(TestVecMath)
#include "test_vec_math.moc"
