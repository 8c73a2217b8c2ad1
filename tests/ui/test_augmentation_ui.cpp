// The augmentation preview in the settings' augmentation box: a batch of training images as
// loaded (top row) and through the run's augmentation (bottom row), redrawn when a setting
// changes, through the widget's own editors; the box only where augmentation applies.
#include <QCheckBox>
#include <QGroupBox>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/document/graph_document.h"
#include "ui/training/augmentation_preview.h"
#include "ui/training/training_settings_widget.h"
#include "ui/widgets/image_grid.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

constexpr int kWait = 60'000;
constexpr int kN = AugmentationPreview::kImages;

// Waits until the preview shows the current settings.
bool settle(AugmentationPreview* preview) {
    return QTest::qWaitFor([&] { return preview->isCurrent(); }, kWait);
}

std::vector<QImage> row(const AugmentationPreview* preview, int r) {
    const std::vector<QImage>& all = preview->grid()->images();
    if (all.size() != size_t(2 * kN)) return {};
    return {all.begin() + r * kN, all.begin() + (r + 1) * kN};
}

int differing(const std::vector<QImage>& a, const std::vector<QImage>& b) {
    int n = 0;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) n += a[i] != b[i];
    return n;
}

}  // namespace

class TestAugmentationUi : public QObject, public test::PrompterFixture {
    Q_OBJECT
private slots:
    void initTestCase() {
        setUpSuite();
        if (!QFile::exists(QString::fromStdString(test::fashionDir()) +
                           "/train-images-idx3-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed");
    }
    void cleanupTestCase() { tearDownSuite(); }

    void previewFollowsTheSettings() {
        GraphDocument doc;
        doc.load(QString::fromStdString(test::sampleFile("fashion-cnn-plus.netloom")));
        engine::TrainingConfig c = doc.training();
        c.dataset.limitTrain = 500;
        c.augmentation = {};
        doc.setTraining(c);
        TrainingSettingsWidget settings(&doc);
        settings.resize(460, 2400);
        settings.show();
        QVERIFY(QTest::qWaitForWindowExposed(&settings));
        auto* preview = settings.findChild<AugmentationPreview*>();
        QVERIFY(preview && preview->isVisible());
        QVERIFY(settle(preview));

        // Off: the bottom row is the top row.
        const std::vector<QImage> loaded = row(preview, 0);
        QCOMPARE(loaded.size(), size_t(kN));
        QCOMPARE(differing(loaded, row(preview, 1)), 0);
        QVERIFY(preview->caption().contains("no augmentation"));

        // Random crop through its spin box (an undo command): the bottom row shifts.
        auto* crop = qobject_cast<QSpinBox*>(settings.editor("augmentation.crop_padding"));
        QVERIFY(crop);
        QSignalSpy updated(preview, &AugmentationPreview::updated);
        crop->setValue(4);
        QCOMPARE(doc.training().augmentation.cropPadding, int64_t(4));
        QVERIFY(updated.count() > 0 || updated.wait(kWait));
        QVERIFY(settle(preview));
        QCOMPARE(differing(loaded, row(preview, 0)), 0);  // the loaded images stay
        const std::vector<QImage> cropped = row(preview, 1);
        QVERIFY2(differing(loaded, cropped) >= kN / 2,
                 qPrintable(QString::number(differing(loaded, cropped))));
        QVERIFY(preview->caption().contains("seed 1"));

        // Flip on as well: the bottom row changes again.
        auto* flip = qobject_cast<QCheckBox*>(settings.editor("augmentation.flip"));
        QVERIFY(flip);
        flip->setChecked(true);
        QVERIFY(doc.training().augmentation.flip);
        QVERIFY(settle(preview));
        QVERIFY(differing(cropped, row(preview, 1)) > 0);

        // Another seed draws other crops; undoing every change gives the loaded images back.
        c = doc.training();
        c.seed = 7;
        const std::vector<QImage> seed1 = row(preview, 1);
        doc.setTraining(c);
        QVERIFY(settle(preview));
        QVERIFY(differing(seed1, row(preview, 1)) > 0);
        c.augmentation = {};
        doc.setTraining(c);
        QVERIFY(settle(preview));
        QCOMPARE(differing(row(preview, 0), row(preview, 1)), 0);

        // An inverted erasing range: the refusal instead of a bottom row that would not run.
        c.augmentation.erasing = 0.5;
        c.augmentation.erasingAreaMin = 0.5;
        c.augmentation.erasingAreaMax = 0.2;
        doc.setTraining(c);
        QVERIFY(settle(preview));
        QVERIFY2(preview->caption().contains("training.augmentation.erasing_area_max"),
                 qPrintable(preview->caption()));

        // Non-image data: no augmentation box.
        c = doc.training();
        c.dataset.kind = "synthetic";
        doc.setTraining(c);
        QVERIFY(!preview->isVisible());
        doc.undoStack()->setClean();
    }
};

QTEST_MAIN(TestAugmentationUi)
#include "test_augmentation_ui.moc"
