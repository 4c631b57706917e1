"""The starting catalogue: the seeds' categories of outsourced work, with sub-categories and skills.

Loaded by a data migration; operators edit it in the admin afterwards. Each entry is
(slug, English name, Bengali name).
"""

from __future__ import annotations

from typing import Any

Entry = tuple[str, str, str]

CATEGORIES: list[tuple[Entry, list[tuple[Entry, list[Entry]]]]] = [
    (
        ("it", "IT outsourcing", "আইটি আউটসোর্সিং"),
        [
            (
                ("software-development", "Software development", "সফটওয়্যার ডেভেলপমেন্ট"),
                [
                    ("python", "Python", "পাইথন"),
                    ("django", "Django", "জ্যাঙ্গো"),
                    ("javascript", "JavaScript", "জাভাস্ক্রিপ্ট"),
                    ("php", "PHP", "পিএইচপি"),
                    ("java", "Java", "জাভা"),
                    ("csharp", "C#", "সি শার্প"),
                    ("mobile-apps", "Mobile apps", "মোবাইল অ্যাপ"),
                    ("sql", "SQL databases", "এসকিউএল ডেটাবেস"),
                ],
            ),
            (
                ("web-design", "Web design", "ওয়েব ডিজাইন"),
                [
                    ("html-css", "HTML and CSS", "এইচটিএমএল ও সিএসএস"),
                    ("wordpress", "WordPress", "ওয়ার্ডপ্রেস"),
                    ("ui-design", "UI design", "ইউআই ডিজাইন"),
                ],
            ),
            (
                ("seo", "Search engine optimization", "সার্চ ইঞ্জিন অপটিমাইজেশন"),
                [
                    ("seo", "SEO", "এসইও"),
                    ("link-building", "Link building", "লিংক বিল্ডিং"),
                    ("keyword-research", "Keyword research", "কিওয়ার্ড রিসার্চ"),
                ],
            ),
        ],
    ),
    (
        ("bpo", "Business process outsourcing", "বিজনেস প্রসেস আউটসোর্সিং"),
        [
            (
                ("data-entry", "Data entry", "ডেটা এন্ট্রি"),
                [
                    ("data-entry", "Data entry", "ডেটা এন্ট্রি"),
                    ("excel", "Microsoft Excel", "মাইক্রোসফট এক্সেল"),
                    ("web-research", "Web research", "ওয়েব রিসার্চ"),
                ],
            ),
            (
                ("call-centre", "Call centre", "কল সেন্টার"),
                [
                    ("telemarketing", "Telemarketing", "টেলিমার্কেটিং"),
                    ("phone-support", "Phone support", "ফোন সাপোর্ট"),
                ],
            ),
            (
                ("customer-support", "Customer support", "কাস্টমার সাপোর্ট"),
                [
                    ("email-support", "E-mail support", "ই-মেইল সাপোর্ট"),
                    ("live-chat", "Live chat", "লাইভ চ্যাট"),
                ],
            ),
        ],
    ),
    (
        ("software-rnd", "Software research and development", "সফটওয়্যার গবেষণা ও উন্নয়ন"),
        [
            (
                ("research-prototypes", "Research prototypes", "গবেষণা প্রোটোটাইপ"),
                [
                    ("machine-learning", "Machine learning", "মেশিন লার্নিং"),
                    ("algorithms", "Algorithms", "অ্যালগরিদম"),
                ],
            ),
            (
                ("testing-qa", "Testing and QA", "টেস্টিং ও কিউএ"),
                [
                    ("manual-testing", "Manual testing", "ম্যানুয়াল টেস্টিং"),
                    ("test-automation", "Test automation", "টেস্ট অটোমেশন"),
                ],
            ),
        ],
    ),
    (
        ("creative", "Creative work", "সৃজনশীল কাজ"),
        [
            (
                ("graphic-design", "Graphic design", "গ্রাফিক ডিজাইন"),
                [
                    ("logo-design", "Logo design", "লোগো ডিজাইন"),
                    ("photoshop", "Adobe Photoshop", "অ্যাডোবি ফটোশপ"),
                    ("illustrator", "Adobe Illustrator", "অ্যাডোবি ইলাস্ট্রেটর"),
                ],
            ),
            (
                ("photo-editing", "Photo editing", "ছবি সম্পাদনা"),
                [
                    ("photo-retouching", "Photo retouching", "ছবি রিটাচিং"),
                    ("background-removal", "Background removal", "ব্যাকগ্রাউন্ড রিমুভাল"),
                ],
            ),
            (
                ("animation", "2D and 3D animation", "২ডি ও ৩ডি অ্যানিমেশন"),
                [
                    ("2d-animation", "2D animation", "২ডি অ্যানিমেশন"),
                    ("3d-modelling", "3D modelling", "৩ডি মডেলিং"),
                    ("blender", "Blender", "ব্লেন্ডার"),
                ],
            ),
            (
                ("video", "Video", "ভিডিও"),
                [
                    ("video-editing", "Video editing", "ভিডিও এডিটিং"),
                    ("motion-graphics", "Motion graphics", "মোশন গ্রাফিক্স"),
                ],
            ),
        ],
    ),
    (
        ("writing", "Writing", "লেখালেখি"),
        [
            (
                ("articles", "Articles and blog posts", "প্রবন্ধ ও ব্লগ পোস্ট"),
                [
                    ("article-writing", "Article writing", "আর্টিকেল লেখা"),
                    ("copywriting", "Copywriting", "কপিরাইটিং"),
                    ("proofreading", "Proofreading", "প্রুফরিডিং"),
                ],
            ),
            (
                ("translation", "Translation", "অনুবাদ"),
                [
                    ("translation-en-bn", "English–Bengali translation", "ইংরেজি–বাংলা অনুবাদ"),
                    ("subtitling", "Subtitling", "সাবটাইটেল"),
                ],
            ),
        ],
    ),
    (
        ("professional", "Manufacturing and professional services", "উৎপাদন ও পেশাদার সেবা"),
        [
            (
                ("engineering", "Engineering and CAD", "প্রকৌশল ও ক্যাড"),
                [
                    ("autocad", "AutoCAD", "অটোক্যাড"),
                    ("product-design", "Product design", "প্রোডাক্ট ডিজাইন"),
                ],
            ),
            (
                ("accounting", "Accounting and finance", "হিসাবরক্ষণ ও অর্থ"),
                [
                    ("bookkeeping", "Bookkeeping", "বুককিপিং"),
                    ("financial-analysis", "Financial analysis", "আর্থিক বিশ্লেষণ"),
                ],
            ),
            (
                ("legal", "Legal", "আইনি সেবা"),
                [
                    ("contract-drafting", "Contract drafting", "চুক্তিপত্র খসড়া"),
                ],
            ),
        ],
    ),
]


def load(category_model: Any, skill_model: Any) -> None:
    """Create or update the catalogue; safe to run again (matches on slug)."""
    for position, ((slug, name, name_bn), children) in enumerate(CATEGORIES):
        parent, _ = category_model.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_bn": name_bn, "position": position, "parent": None}
        )
        for child_position, ((child_slug, child_name, child_bn), skills) in enumerate(children):
            child, _ = category_model.objects.update_or_create(
                slug=child_slug,
                defaults={
                    "name": child_name,
                    "name_bn": child_bn,
                    "position": child_position,
                    "parent": parent,
                },
            )
            for skill_slug, skill_name, skill_bn in skills:
                skill_model.objects.update_or_create(
                    slug=skill_slug, defaults={"name": skill_name, "name_bn": skill_bn, "category": child}
                )
