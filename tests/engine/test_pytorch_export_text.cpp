// The exported script reads a text dataset as NetLoom does: the same vocabulary (special tokens,
// then characters in code-point order), the same padded <s>-prefixed inputs and next-token
// targets, the same lines in the training and test parts, in the same order. The file has what
// the reader must get right: a byte order mark, CRLF endings, blank lines, 2-, 3- and 4-byte
// UTF-8 characters, duplicate lines, a line of exactly the length limit. (The forward and one
// training step of the sequence model are compared in test_pytorch_export, words-lstm's row;
// DDP's per-token mean in test_pytorch_export_ddp.) Runs when a Python with torch exists.
#include <QtTest>

#include <fstream>

#include "engine/data/dataset.h"
#include "engine/export/pytorch_exporter.h"
#include "engine/export/pytorch_tensor_file.h"
#include "engine/io/project_io.h"
#include "support/test_support.h"
#include "tests/engine/pytorch_export_support.h"

using namespace netloom::engine;

namespace {

// Every value of NetLoom's part (ids as stored) against the script's float32 copy.
void expectSamePart(const Dataset& ours, const TensorFile& theirs, const std::string& part) {
    const Tensor* x = theirs.find(part + "_x");
    const Tensor* y = theirs.find(part + "_y");
    QVERIFY2(x && y, part.c_str());
    QCOMPARE(x->batch(), ours.count);
    QCOMPARE(x->size(), static_cast<int64_t>(ours.tokens.size()));
    QCOMPARE(y->size(), static_cast<int64_t>(ours.targets.size()));
    for (int64_t i = 0; i < x->size(); ++i)
        QVERIFY2((*x)[i] == static_cast<float>(ours.tokens[static_cast<size_t>(i)]),
                 qPrintable(QString("%1 input %2").arg(part.c_str()).arg(i)));
    for (int64_t i = 0; i < y->size(); ++i)
        QVERIFY2((*y)[i] == ours.targets[static_cast<size_t>(i)],
                 qPrintable(QString("%1 target %2").arg(part.c_str()).arg(i)));
}

}  // namespace

class TestPytorchExportText : public QObject {
    Q_OBJECT
private slots:
    void scriptReadsTheTextAsNetLoom() {
        const QString python = netloom::test::torchPython();
        if (python.isEmpty()) QSKIP("no python3 with torch (scripts/setup.sh --bench installs it)");
        const std::string dir = netloom::test::tempDir().toStdString() + "/text-export";
        const std::string textPath = netloom::test::tempDir().toStdString() + "/lines.txt";
        {
            std::ofstream f(textPath, std::ios::binary);
            f << "\xEF\xBB\xBF"  // byte order mark
              << "zebra\r\napple\n\n   \nna\xC3\xAFve\r\n\xE4\xB8\xAD\xE6\x96\x87\n"
              << "apple\nsmile \xF0\x9F\x98\x80\nabcdefghijklmnopqrstuvwx\n";
            for (int i = 0; i < 40; ++i) f << "word" << i << (i % 3 ? "s" : "") << "\n";
            f << "last, no newline";
        }
        Project project = loadProject(netloom::test::sampleFile("words-lstm.netloom"));
        project.training.dataset.textPath = textPath;  // 24 characters per line at most
        project.training.dataset.testFraction = 0.2;
        project.training.validationSplit = 0.1;
        project.training.seed = 5;
        const PyTorchExportReport report = exportPyTorch(project, dir);
        QVERIFY2(report.ok(), report.text().c_str());

        const std::string out = dir + "/text.nlw";
        const auto run = netloom::test::runProcess(
            python, {QString(NETLOOM_TEST_DATA_DIR) + "/pytorch_text_check.py",
                     QString::fromStdString(dir), QString::fromStdString(out)});
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        const TensorFile theirs = readTensorFile(out);

        const DatasetConfig& d = project.training.dataset;
        const DataSplit ours = loadData(d, project.training.validationSplit, project.training.seed);
        QVERIFY(ours.validation.count > 0);  // the script trains on the training part only
        QCOMPARE(theirs.meta.at("vocabulary").get<std::vector<std::string>>(),
                 ours.train.vocabulary);
        expectSamePart(ours.train, theirs, "train");
        if (QTest::currentTestFailed()) return;
        expectSamePart(ours.test, theirs, "test");
        qInfo("%lld training and %lld test lines, %lld tokens in the vocabulary: identical",
              static_cast<long long>(ours.train.count), static_cast<long long>(ours.test.count),
              static_cast<long long>(ours.train.vocabularySize));
    }

    void scriptRefusesAChangedFile() {
        // The split names line numbers: a file that lost lines since the export is refused
        // by name instead of training on whatever lines happen to be there.
        const QString python = netloom::test::torchPython();
        if (python.isEmpty()) QSKIP("no python3 with torch (scripts/setup.sh --bench installs it)");
        const std::string dir = netloom::test::tempDir().toStdString() + "/text-shrunk";
        const std::string textPath = netloom::test::tempDir().toStdString() + "/shrinks.txt";
        {
            std::ofstream f(textPath);
            for (int i = 0; i < 30; ++i) f << "line" << i << "\n";
        }
        Project project = loadProject(netloom::test::sampleFile("words-lstm.netloom"));
        project.training.dataset.textPath = textPath;
        project.training.validationSplit = 0;
        QVERIFY(exportPyTorch(project, dir).ok());
        {
            std::ofstream f(textPath, std::ios::trunc);
            f << "one\ntwo\n";
        }
        const auto run = netloom::test::runProcess(
            python, {QString(NETLOOM_TEST_DATA_DIR) + "/pytorch_text_check.py",
                     QString::fromStdString(dir), QString::fromStdString(dir + "/x.nlw")});
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.output.contains("fewer than when it was exported"), qPrintable(run.output));
    }
};

QTEST_GUILESS_MAIN(TestPytorchExportText)
#include "test_pytorch_export_text.moc"
